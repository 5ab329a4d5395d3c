using System.Net;
using EdgeProxy.Configuration;
using Microsoft.AspNetCore.Http.Features;

namespace EdgeProxy.Edge;

/// <summary>
/// First middleware on the public listener: takes the configuration the request is handled with, records the peer
/// (normalised once), keeps or generates the tracking id (echoed on every response, refusals included) and classifies
/// the path once; the later steps read all of it from <see cref="EdgeRequestInfo"/>.
/// </summary>
public sealed class EdgeRequestMiddleware(RequestDelegate next, ProxyState state)
{
    private const int MaxTrackingIdLength = 128;

    public Task InvokeAsync(HttpContext context)
    {
        var configuration = state.Current;
        var settings = configuration.Settings;
        var header = settings.TrackingHeader;
        var peer = Admission.IpAddressGrammar.Normalize(context.Connection.RemoteIpAddress ?? IPAddress.IPv6None);

        var incoming = context.Request.Headers[header];
        var trackingId = incoming.Count == 1 && IsAcceptable(incoming[0]) ? incoming[0]! : TrackingIds.Shared.Next();
        context.Request.Headers[header] = trackingId;
        context.Response.Headers[header] = trackingId;
        var info = new EdgeRequestInfo(configuration, peer, trackingId) { Route = configuration.Paths.Classify(context.Request.Path.Value ?? "") };
        context.Features.Set(info);

        // NGX_CLIENT_MAX_BODY_SIZE per request, so a reload applies. A declared oversize body is refused
        // before any node is contacted; a chunked one is cut off by Kestrel when it passes the limit.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = settings.MaxBodySize == 0 ? null : settings.MaxBodySize;
        }

        if (settings.MaxBodySize > 0 && context.Request.ContentLength > settings.MaxBodySize)
        {
            return EdgeResponses.WriteAsync(context, StatusCodes.Status413RequestEntityTooLarge, "body_too_large",
                $"the request body is larger than {settings.MaxBodySize} bytes");
        }

        return next(context);
    }

    // A client-supplied id is kept only if it is short and plain, so it cannot inject into logs or headers.
    private static bool IsAcceptable(string? value) =>
        value is { Length: > 0 and <= MaxTrackingIdLength } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
