using EdgeProxy.Edge;

namespace EdgeProxy.Tests.Edge;

public sealed class TlsCipherPolicyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgeproxy-openssl-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ShippedFile_IsRecognised_AndOnlyAllowsEcdheWithAead()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, TlsCipherPolicy.FileName);

        Assert.True(TlsCipherPolicy.IsEdgeProxyConfiguration(shipped));
        var text = File.ReadAllText(shipped);
        Assert.Contains("MinProtocol = TLSv1.2", text, StringComparison.Ordinal);
        Assert.Contains("CipherString = ECDHE+AESGCM:ECDHE+CHACHA20:", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ChangedFile_IsNotRecognised()
    {
        var changed = Path.Combine(_directory, TlsCipherPolicy.FileName);
        File.WriteAllText(changed, TlsCipherPolicy.ExpectedText.Replace("ECDHE+AESGCM:", "ALL:", StringComparison.Ordinal));

        Assert.False(TlsCipherPolicy.IsEdgeProxyConfiguration(changed));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/nonexistent/openssl-edgeproxy.cnf")]
    public void NoFile_IsNotRecognised(string? path) => Assert.False(TlsCipherPolicy.IsEdgeProxyConfiguration(path));

    [Fact]
    public void TestProcess_WithoutOpensslConf_AppliesThePolicyPerConnection()
    {
        Assert.Null(Environment.GetEnvironmentVariable(TlsCipherPolicy.Variable));
        Assert.False(TlsCipherPolicy.FromOpenSslConfiguration);
    }
}
