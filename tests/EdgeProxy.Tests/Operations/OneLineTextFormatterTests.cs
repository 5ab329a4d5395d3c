using System.Buffers;
using System.Globalization;
using System.Text;
using EdgeProxy.Operations;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace EdgeProxy.Tests.Operations;

public sealed class OneLineTextFormatterTests
{
    private static readonly MessageTemplateParser Parser = new();

    public static TheoryData<string, string> Hostile => new()
    {
        { "\r\n", @"\r\n" },
        { "\n", @"\n" },
        { "\r", @"\r" },
        { "\t", @"\t" },
        { "\0", @"\x00" },
        { "\u001b[31m", @"\x1b[31m" },
        { "\u001f", @"\x1f" },
        { "\u007f", @"\x7f" },
        { "\u0085", @"\x85" },
        { "\u009f", @"\x9f" },
        { "\u2028", @"\u2028" },
        { "\u2029", @"\u2029" },
        { @"\n", @"\\n" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void PropertyValue_WithALineBreakingCharacter_IsEscapedOnOneLine(string hostile, string escaped)
    {
        var line = Render(Event("Refused {Path}", null, ("Path", $"/drapi{hostile}2026-01-01T00:00:00.000+00:00 [INF] EdgeProxy.Access: forged")));

        Assert.Equal($"2026-11-28T15:50:29.749+01:00 [WRN] EdgeProxy.Blocking: Refused /drapi{escaped}2026-01-01T00:00:00.000+00:00 [INF] EdgeProxy.Access: forged\n", line);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void MessageTemplateText_WithALineBreakingCharacter_IsEscapedOnOneLine(string hostile, string escaped)
    {
        var line = Render(Event($"first{hostile}second", null));

        Assert.Equal($"2026-11-28T15:50:29.749+01:00 [WRN] EdgeProxy.Blocking: first{escaped}second\n", line);
    }

    [Fact]
    public void Exception_StaysOnTheEventsLine_WithItsLineBreaksEscaped()
    {
        Exception failure;
        try
        {
            throw new InvalidOperationException("node said no\r\n2026-01-01T00:00:00.000+00:00 [INF] forged");
        }
        catch (InvalidOperationException ex)
        {
            failure = ex;
        }

        var line = Render(Event("failed", failure));

        Assert.Single(Lines(line));
        Assert.StartsWith(@"2026-11-28T15:50:29.749+01:00 [WRN] EdgeProxy.Blocking: failed\nSystem.InvalidOperationException: node said no\r\n2026-01-01", line, StringComparison.Ordinal);
        Assert.Contains(@"\n   at EdgeProxy.Tests.Operations.OneLineTextFormatterTests.", line, StringComparison.Ordinal);
        Assert.EndsWith("\n", line, StringComparison.Ordinal);
    }

    [Fact]
    public void BenignEvent_IsRenderedAsSerilogsTextFormatterRendersIt()
    {
        var logEvent = Event("{Method} {Path} {Status} {DurationMs:0.0} ms", null, ("Method", "GET"), ("Path", "/drapi/v1/tasks?from=*"), ("Status", 200), ("DurationMs", 3.25));
        var serilogs = new StringWriter(CultureInfo.InvariantCulture);
        new MessageTemplateTextFormatter(LoggingSetup.TextTemplate, CultureInfo.InvariantCulture).Format(logEvent, serilogs);

        Assert.Equal(serilogs.ToString().Replace(Environment.NewLine, "\n", StringComparison.Ordinal), Render(logEvent));
    }

    [Fact]
    public void TextLine_ThroughTheStdoutSink_WritesOneLinePerHostileEvent()
    {
        var output = new MemoryStream();
        using (var logger = new LoggerConfiguration().WriteTo.Sink(new StdoutLineSink(output, LoggingSetup.TextLine)).CreateLogger())
        {
            foreach (var hostile in Hostile.Select(row => (string)row[0]))
            {
                logger.ForContext("SourceContext", "EdgeProxy.Blocking").Warning("Refused {Path} from {Peer}", $"/x{hostile}forged", "127.0.0.9");
            }
        }

        var lines = Lines(Encoding.UTF8.GetString(output.ToArray()));
        Assert.Equal(Hostile.Count(), lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^\d{4}-\d\d-\d\dT[^ ]+ \[WRN\] EdgeProxy\.Blocking: Refused /x\S+forged from 127\.0\.0\.9$", l));
    }

    [Fact]
    public void BootstrapLogger_WritesOneEscapedLine()
    {
        var original = Console.Error;
        var captured = new StringWriter(CultureInfo.InvariantCulture);
        Console.SetError(captured);
        try
        {
            using var logger = LoggingSetup.CreateBootstrapLogger();
            logger.Error("Configuration error: {Error}", "bad value \u001b]0;owned\u0007\n2026-01-01 [FTL] forged");
        }
        finally
        {
            Console.SetError(original);
        }

        var line = Assert.Single(Lines(captured.ToString()));
        Assert.EndsWith(@"[ERR] : Configuration error: bad value \x1b]0;owned\x07\n2026-01-01 [FTL] forged", line, StringComparison.Ordinal);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string Render(LogEvent logEvent)
    {
        var buffer = new ArrayBufferWriter<byte>();
        LoggingSetup.TextLine(logEvent, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static LogEvent Event(string template, Exception? exception, params (string Name, object Value)[] properties) =>
        new(new DateTimeOffset(2026, 11, 28, 15, 50, 29, 749, TimeSpan.FromHours(1)), LogEventLevel.Warning, exception, Parser.Parse(template),
            [new LogEventProperty("SourceContext", new ScalarValue("EdgeProxy.Blocking")), .. properties.Select(p => new LogEventProperty(p.Name, new ScalarValue(p.Value)))]);
}
