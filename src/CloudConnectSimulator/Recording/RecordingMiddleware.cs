using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace CloudConnectSimulator.Recording;

/// <summary>Records every request that reached the app, before mode and delay logic, with the body for DataConn callbacks.</summary>
internal sealed class RecordingMiddleware(RequestDelegate next, RequestRecorder recorder, TimeProvider timeProvider)
{
    /// <summary>Longest DataConn body kept as text; the rest is read and dropped.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public static readonly PathString DataConnPrefix = new("/dataconn");

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var time = timeProvider.GetUtcNow();
        var isDataConn = request.Path.StartsWithSegments(DataConnPrefix);
        string? body = null;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            // Read whole, so a test sees what arrived before the node answers (or dies); the endpoint reads the kept copy.
            var (kept, complete) = await ReadBodyAsync(request.Body, context.RequestAborted);
            body = Encoding.UTF8.GetString(kept);
            if (complete && !isDataConn)
            {
                request.Body = new MemoryStream(kept, writable: false);
            }
        }

        recorder.Record(
            new RecordedRequest(
                time,
                request.Method,
                request.PathBase.Add(request.Path).Value ?? "/",
                request.QueryString.Value ?? "",
                CopyHeaders(request.Headers),
                body,
                context.Connection.ClientCertificate?.Subject,
                request.Protocol),
            isDataConn);

        await next(context);
    }

    private static Dictionary<string, string> CopyHeaders(IHeaderDictionary headers)
    {
        var copy = new Dictionary<string, string>(headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            copy[name] = Join(values);
        }

        return copy;
    }

    private static string Join(StringValues values) => values.Count == 1 ? values[0] ?? "" : string.Join(", ", values.ToArray());

    // The first MaxBodyBytes bytes, and whether that was all of the body.
    private static async Task<(byte[] Kept, bool Complete)> ReadBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        using var kept = new MemoryStream();
        var buffer = new byte[16 * 1024];
        var complete = true;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var room = MaxBodyBytes - (int)kept.Length;
            complete &= room >= read;
            if (room > 0)
            {
                kept.Write(buffer, 0, Math.Min(room, read));
            }
        }

        return (kept.ToArray(), complete);
    }
}
