using System.Buffers;
using System.Globalization;
using System.Text;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace EdgeProxy.Operations;

/// <summary>
/// Serilog's text rendering of <see cref="LoggingSetup.TextTemplate"/>, made one event = one line: every
/// control character (C0 including CR, LF and TAB, DEL, C1 including NEL), U+2028, U+2029 and the backslash
/// are escaped (<c>\r</c>, <c>\n</c>, <c>\t</c>, <c>\x1b</c>, <c>\u2028</c>, <c>\\</c>) wherever they come
/// from: a client's path, a message, or an exception. The exception's own line breaks are escaped too, so
/// its stack trace follows the message on the same line; only the final newline ends the line, and a
/// literal backslash is doubled, so no value can imitate an escape or a new event. Hand-written because
/// Serilog's text formatters write string values as they are (its JSON formatters escape, this one must
/// not change the readable shape).
/// </summary>
public sealed class OneLineTextFormatter : ITextFormatter
{
    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(c => (char)c), '\\', .. Enumerable.Range(0x7f, 0x21).Select(c => (char)c), '\u2028', '\u2029']);

    [ThreadStatic]
    private static StringWriter? t_rendered;

    private readonly MessageTemplateTextFormatter _inner;

    public OneLineTextFormatter(string outputTemplate, IFormatProvider? formatProvider = null)
    {
        _inner = new MessageTemplateTextFormatter(outputTemplate, formatProvider ?? CultureInfo.InvariantCulture);
    }

    public void Format(LogEvent logEvent, TextWriter output)
    {
        var rendered = t_rendered ??= new StringWriter(CultureInfo.InvariantCulture);
        var builder = rendered.GetStringBuilder().Clear();
        _inner.Format(logEvent, rendered);
        // The template ends with the event's line break (after the exception, when there is one); it is the only one kept.
        var length = builder.Length;
        var newLine = Environment.NewLine;
        if (length >= newLine.Length && builder.ToString(length - newLine.Length, newLine.Length) == newLine)
        {
            length -= newLine.Length;
        }

        foreach (var chunk in builder.GetChunks())
        {
            var span = chunk.Span[..Math.Min(chunk.Length, length)];
            length -= span.Length;
            Escape(span, output);
        }

        output.Write('\n');
    }

    /// <summary>Writes <paramref name="text"/> with the characters that could end or fake a line escaped.</summary>
    public static void Escape(ReadOnlySpan<char> text, TextWriter output)
    {
        while (!text.IsEmpty)
        {
            var next = text.IndexOfAny(Escaped);
            if (next < 0)
            {
                output.Write(text);
                return;
            }

            output.Write(text[..next]);
            output.Write(text[next] switch
            {
                '\r' => @"\r",
                '\n' => @"\n",
                '\t' => @"\t",
                '\\' => @"\\",
                var c when c <= '\u00ff' => string.Create(CultureInfo.InvariantCulture, $@"\x{(int)c:x2}"),
                var c => string.Create(CultureInfo.InvariantCulture, $@"\u{(int)c:x4}"),
            });
            text = text[(next + 1)..];
        }
    }
}
