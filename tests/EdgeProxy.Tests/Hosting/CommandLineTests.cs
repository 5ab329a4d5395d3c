using EdgeProxy.Hosting;

namespace EdgeProxy.Tests.Hosting;

public class CommandLineTests
{
    public static TheoryData<string[], Command, string[], string[]> Valid => new()
    {
        { [], Command.Serve, [], [] },
        { ["serve"], Command.Serve, [], [] },
        { ["check"], Command.Check, [], [] },
        { ["--env", "a.env"], Command.Serve, ["a.env"], [] },
        { ["check", "--env", "a.env", "--env", "b.env"], Command.Check, ["a.env", "b.env"], [] },
        { ["--env-dir", "/etc/edgeproxy"], Command.Serve, [], ["/etc/edgeproxy"] },
        { ["--env-dir", "d1", "--env-dir", "d2"], Command.Serve, [], ["d1", "d2"] },
        { ["serve", "--env-dir", "d1", "--env", "a.env", "--env-dir", "d2", "--env", "b.env"], Command.Serve, ["a.env", "b.env"], ["d1", "d2"] },
        { ["--env=a.env", "--env", "b.env", "--env=c.env"], Command.Serve, ["a.env", "b.env", "c.env"], [] },
        { ["check", "--env-dir=/etc/edgeproxy"], Command.Check, [], ["/etc/edgeproxy"] },
        { ["--env=with=equals.env"], Command.Serve, ["with=equals.env"], [] },
        { ["--env", "-dash-name.env"], Command.Serve, ["-dash-name.env"], [] },
        { ["--env", "check"], Command.Serve, ["check"], [] },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Parse_ValidArguments_CommandAndSourcesInOrder(string[] args, Command command, string[] files, string[] directories)
    {
        var parsed = CommandLine.Parse(args);

        Assert.Null(parsed.Error);
        Assert.Equal(command, parsed.Command);
        Assert.Equal(files, parsed.Sources.Files);
        Assert.Equal(directories, parsed.Sources.Directories);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public void Parse_Help_HelpWithoutError(string flag)
    {
        var parsed = CommandLine.Parse(["check", flag]);

        Assert.Equal(Command.Help, parsed.Command);
        Assert.Null(parsed.Error);
    }

    [Theory]
    [InlineData(new[] { "--env" }, "--env needs a value")]
    [InlineData(new[] { "check", "--env-dir" }, "--env-dir needs a value")]
    [InlineData(new[] { "--env", "--env-dir", "d" }, "--env needs a value")]
    [InlineData(new[] { "--env-dir", "--env", "a.env" }, "--env-dir needs a value")]
    [InlineData(new[] { "--env=" }, "--env needs a value")]
    [InlineData(new[] { "--env-dir=" }, "--env-dir needs a value")]
    [InlineData(new[] { "--verbose" }, "unknown argument '--verbose'")]
    [InlineData(new[] { "--env", "a.env", "extra" }, "unknown argument 'extra'")]
    [InlineData(new[] { "check", "serve" }, "unknown argument 'serve'")]
    [InlineData(new[] { "--env", "a.env", "check" }, "unknown argument 'check'")]
    [InlineData(new[] { "start" }, "unknown argument 'start'")]
    [InlineData(new[] { "--ENV", "a.env" }, "unknown argument '--ENV'")]
    [InlineData(new[] { "--envdir", "d" }, "unknown argument '--envdir'")]
    public void Parse_InvalidArguments_HelpWithError(string[] args, string error)
    {
        var parsed = CommandLine.Parse(args);

        Assert.Equal(Command.Help, parsed.Command);
        Assert.Equal(error, parsed.Error);
        Assert.Empty(parsed.Sources.Files);
        Assert.Empty(parsed.Sources.Directories);
    }

    [Fact]
    public void Usage_NamesEveryOption()
    {
        foreach (var word in new[] { "serve", "check", "--env FILE", "--env-dir DIR", "--help" })
        {
            Assert.Contains(word, CommandLine.Usage);
        }
    }

    [Fact]
    public void Parse_AspNetHostingSwitches_AreAcceptedAndIgnored()
    {
        var parsed = CommandLine.Parse(["--environment=Development", "--env=/etc/edgeproxy/dc.env", "--contentRoot=/app", "--applicationName=EdgeProxy"]);

        Assert.Null(parsed.Error);
        Assert.Equal(Command.Serve, parsed.Command);
        Assert.Equal(["/etc/edgeproxy/dc.env"], parsed.Sources.Files);
    }

    [Theory]
    [InlineData("--environment", "unknown argument '--environment'")]
    [InlineData("--contentroot=/app", "unknown argument '--contentroot=/app'")]
    public void Parse_HostingSwitchesOnlyInTheirExactForm(string arg, string error)
    {
        Assert.Equal(error, CommandLine.Parse([arg]).Error);
    }
}
