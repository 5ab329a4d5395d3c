using EdgeProxy.Hosting;

namespace EdgeProxy.Tests.Hosting;

// The variable is process-wide; nothing else in this test process reads it, and each test restores it.
[Collection(nameof(InlineIoTests))]
public sealed class InlineIoTests : IDisposable
{
    private readonly string? _before = Environment.GetEnvironmentVariable(InlineIo.Variable);

    public void Dispose() => Environment.SetEnvironmentVariable(InlineIo.Variable, _before);

    [Fact]
    public void Default_TurnsInlineCompletionsOn()
    {
        Environment.SetEnvironmentVariable(InlineIo.Variable, null);

        InlineIo.ApplyDefault();

        Assert.Equal("1", Environment.GetEnvironmentVariable(InlineIo.Variable));
        Assert.True(InlineIo.Enabled);
    }

    [Fact]
    public void OperatorsZero_IsKept_AndTurnsKestrelInliningOffToo()
    {
        Environment.SetEnvironmentVariable(InlineIo.Variable, "0");

        InlineIo.ApplyDefault();

        Assert.Equal("0", Environment.GetEnvironmentVariable(InlineIo.Variable));
        Assert.False(InlineIo.Enabled);
    }
}
