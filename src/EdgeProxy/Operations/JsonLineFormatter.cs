using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace EdgeProxy.Operations;

/// <summary>
/// One log event as one line of compact JSON (CLEF: <c>@t</c>, <c>@m</c>, <c>@i</c>, <c>@l</c> unless
/// Information, <c>@x</c>, <c>@tr</c>/<c>@sp</c>, then the properties), written as UTF-8 straight into a
/// buffer. The same fields as Serilog's RenderedCompactJsonFormatter, hand-written because that one
/// writes UTF-16 through a TextWriter and hashes the message template again for every event: with
/// one access-log line per request it was a fifth of a proxied request's CPU (bench/README.md).
/// Access-log events (<see cref="AccessLog.Category"/>) have no <c>@m</c>: their message would only repeat
/// every property, and was more than half of each line's bytes; <c>@i</c> still names the event type.
/// </summary>
public static class JsonLineFormatter
{
    // Not HTML-escaping: the lines go to a log collector, not a page; quotes, control characters and
    // invalid UTF-16 are still escaped, so a client's path or header cannot break a line.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    // The @i of a template, computed once per parsed template (Serilog caches those).
    private static readonly ConditionalWeakTable<MessageTemplate, string> EventIds = [];

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static StringWriter? t_message;

    /// <summary>Appends the event's line, newline included, to <paramref name="output"/>.</summary>
    public static void Write(LogEvent logEvent, IBufferWriter<byte> output)
    {
        var json = t_writer ??= new Utf8JsonWriter(output, WriterOptions);
        json.Reset(output);
        json.WriteStartObject();
        json.WriteString("@t", logEvent.Timestamp.UtcDateTime);
        if (!IsAccessLog(logEvent))
        {
            json.WriteString("@m", RenderMessage(logEvent));
        }

        json.WriteString("@i", EventIds.GetValue(logEvent.MessageTemplate, template => EventIdHash.Compute(template.Text).ToString("x8", CultureInfo.InvariantCulture)));
        if (logEvent.Level != LogEventLevel.Information)
        {
            json.WriteString("@l", LevelName(logEvent.Level));
        }

        if (logEvent.Exception is not null)
        {
            json.WriteString("@x", logEvent.Exception.ToString());
        }

        if (logEvent.TraceId is { } traceId)
        {
            json.WriteString("@tr", traceId.ToHexString());
        }

        if (logEvent.SpanId is { } spanId)
        {
            json.WriteString("@sp", spanId.ToHexString());
        }

        foreach (var (name, value) in logEvent.Properties)
        {
            // CLEF reserves names that start with @: a property of that name is written with @@.
            json.WritePropertyName(name.StartsWith('@') ? "@" + name : name);
            WriteValue(json, value);
        }

        json.WriteEndObject();
        json.Flush();
        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }

    private static bool IsAccessLog(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: AccessLog.Category };

    private static ReadOnlySpan<char> RenderMessage(LogEvent logEvent)
    {
        var message = t_message ??= new StringWriter(CultureInfo.InvariantCulture);
        var text = message.GetStringBuilder().Clear();
        logEvent.MessageTemplate.Render(logEvent.Properties, message, CultureInfo.InvariantCulture);
        // One chunk unless the message outgrew the builder's capacity, which it keeps for the next event.
        foreach (var chunk in text.GetChunks())
        {
            if (chunk.Length == text.Length)
            {
                return chunk.Span;
            }
        }

        return text.ToString();
    }

    private static void WriteValue(Utf8JsonWriter json, LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue scalar:
                WriteScalar(json, scalar.Value);
                break;
            case SequenceValue sequence:
                json.WriteStartArray();
                foreach (var element in sequence.Elements)
                {
                    WriteValue(json, element);
                }

                json.WriteEndArray();
                break;
            case StructureValue structure:
                json.WriteStartObject();
                foreach (var property in structure.Properties)
                {
                    json.WritePropertyName(property.Name);
                    WriteValue(json, property.Value);
                }

                if (structure.TypeTag is { } typeTag)
                {
                    json.WriteString("$type", typeTag);
                }

                json.WriteEndObject();
                break;
            case DictionaryValue dictionary:
                json.WriteStartObject();
                foreach (var (key, element) in dictionary.Elements)
                {
                    json.WritePropertyName(Convert.ToString(key.Value, CultureInfo.InvariantCulture) ?? "null");
                    WriteValue(json, element);
                }

                json.WriteEndObject();
                break;
            default:
                json.WriteStringValue(value.ToString(null, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int number:
                json.WriteNumberValue(number);
                break;
            case long number:
                json.WriteNumberValue(number);
                break;
            case double number when double.IsFinite(number):
                json.WriteNumberValue(number);
                break;
            case float number when float.IsFinite(number):
                json.WriteNumberValue(number);
                break;
            case decimal number:
                json.WriteNumberValue(number);
                break;
            case uint or ulong or short or ushort or byte or sbyte:
                json.WriteRawValue(Convert.ToString(value, CultureInfo.InvariantCulture)!, skipInputValidation: true);
                break;
            case DateTime or DateTimeOffset:
                json.WriteStringValue(((IFormattable)value).ToString("O", CultureInfo.InvariantCulture));
                break;
            case IFormattable formattable:
                json.WriteStringValue(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteStringValue(value.ToString());
                break;
        }
    }

    private static string LevelName(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => "Verbose",
        LogEventLevel.Debug => "Debug",
        LogEventLevel.Warning => "Warning",
        LogEventLevel.Error => "Error",
        LogEventLevel.Fatal => "Fatal",
        _ => "Information",
    };
}
