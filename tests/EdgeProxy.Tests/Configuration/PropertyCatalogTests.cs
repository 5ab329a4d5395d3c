using System.Reflection;
using EdgeProxy.Admission;
using EdgeProxy.Configuration;
using EdgeProxy.Tests.Support;

namespace EdgeProxy.Tests.Configuration;

public class PropertyCatalogTests
{
    [Theory]
    [InlineData("EDGEPROXY_LOG_FROMAT", "EDGEPROXY_LOG_FORMAT")]
    [InlineData("EDGEPROXY_DR_PATH", "EDGEPROXY_DR_PATHS")]
    [InlineData("EDGEPROXY_UPSTREAM_CLIENT_CERT", "EDGEPROXY_UPSTREAM_CLIENT_CRT")]
    [InlineData("EDGEPROXY_ENVIRONEMNT", "EDGEPROXY_ENVIRONMENT")]
    [InlineData("EDGEPROXY_BLOCKED_PATH", "EDGEPROXY_BLOCKED_PATHS")]
    public void Suggest_Misspelt_GivesClosestKey(string key, string expected) => Assert.Equal(expected, PropertyCatalog.Suggest(key));

    [Theory]
    [InlineData("EDGEPROXY_ENABLE_QUANTUM_ROUTING")]
    [InlineData("EDGEPROXY_X")]
    public void Suggest_NothingClose_Null(string key) => Assert.Null(PropertyCatalog.Suggest(key));

    [Fact]
    public void All_EveryEnvKeyConstant_InTheCatalogOnce()
    {
        var constants = typeof(EnvKeys).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(k => k != EnvKeys.TemplateType)
            .Order();

        Assert.Equal(constants, PropertyCatalog.All.Select(p => p.Name).Order());
    }

    [Fact]
    public void All_Masked_ExactlyThePrivateKeys()
    {
        Assert.Equal([EnvKeys.ServerKey, EnvKeys.UpstreamClientKey], PropertyCatalog.All.Where(p => p.Masked).Select(p => p.Name));
    }

    [Fact]
    public void All_Required_HaveNoDefault()
    {
        Assert.Equal(
            [EnvKeys.ExternalHostName, EnvKeys.Publisher, EnvKeys.Subscriber, EnvKeys.ServerCertificate, EnvKeys.ServerKey, EnvKeys.TrustBundle],
            PropertyCatalog.All.Where(p => p.Required).Select(p => p.Name));
        Assert.All(PropertyCatalog.All.Where(p => p.Required), p => Assert.Null(p.Default));
    }

    [Fact]
    public void All_EveryProperty_DocumentedInTheReadme()
    {
        var readme = File.ReadAllText(RepositoryPaths.Readme);

        Assert.All(PropertyCatalog.All, p => Assert.Contains($"`{p.Name}`", readme));
    }

    [Fact]
    public void CiscoDefaultClientIps_TwelveAddresses()
    {
        var addresses = PropertyCatalog.CiscoDefaultClientIps.Split('|');

        Assert.Equal(12, addresses.Distinct().Count());
        Assert.All(addresses, a => Assert.True(IpAddressGrammar.TryParseAddress(a, out _), a));
    }
}
