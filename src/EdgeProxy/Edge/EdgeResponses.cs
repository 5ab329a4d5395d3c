using System.Text.Json;

namespace EdgeProxy.Edge;

/// <summary>The small JSON bodies EdgeProxy answers with itself: <c>{"error":"...","reason":"..."}</c>.</summary>
public static class EdgeResponses
{
    public static Task WriteAsync(HttpContext context, int status, string error, string reason, TimeSpan? retryAfter = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (retryAfter is { } delay)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorBody(error, reason), EdgeJsonContext.Default.ErrorBody);
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }
}

/// <summary>Error body shape.</summary>
public sealed record ErrorBody(string Error, string Reason);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ErrorBody))]
internal sealed partial class EdgeJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
