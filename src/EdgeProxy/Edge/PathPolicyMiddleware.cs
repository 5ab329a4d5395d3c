using Microsoft.AspNetCore.Http.Features;

namespace EdgeProxy.Edge;

/// <summary>
/// Answers bad, blocked and unrouted paths and unacceptable headers itself, so they never reach a node, and turns
/// an HTTP/1.1 upgrade request into a plain one: Cloud Connect takes no tunnels.
/// </summary>
public sealed class PathPolicyMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        // Classified by EdgeRequestMiddleware, so refusals before this point are logged with their route.
        switch (EdgeRequestInfo.Get(context).Route)
        {
            case EdgeRoute.Dr or EdgeRoute.DataConn:
                break;
            case EdgeRoute.BadPath:
                return EdgeResponses.WriteAsync(context, StatusCodes.Status400BadRequest, "bad_path", "the request path is not accepted");
            default:
                return EdgeResponses.WriteAsync(context, StatusCodes.Status404NotFound, "not_found", "no such resource");
        }

        if (RequestHeaderPolicy.FindControlCharacter(context.Request.Headers) is { } header)
        {
            return EdgeResponses.WriteAsync(context, StatusCodes.Status400BadRequest, "bad_header", $"the value of header {header} contains a control character");
        }

        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true })
        {
            // YARP forwards Upgrade and relays a 101 as a raw tunnel; without the header and the feature it forwards a plain
            // request. Kestrel read the connection as a possible tunnel, so it is closed after this response.
            context.Request.Headers.Remove("Upgrade");
            context.Features.Set<IHttpUpgradeFeature>(NoUpgrade.Instance);
            context.Response.Headers.Connection = "close";
        }

        return next(context);
    }

    private sealed class NoUpgrade : IHttpUpgradeFeature
    {
        public static readonly NoUpgrade Instance = new();

        public bool IsUpgradableRequest => false;

        public Task<Stream> UpgradeAsync() => throw new InvalidOperationException("EdgeProxy does not upgrade connections");
    }
}
