using EdgeProxy.Configuration;

namespace EdgeProxy.Edge;

/// <summary>Answers bad, blocked and unrouted paths itself, so they never reach a node.</summary>
public sealed class PathPolicyMiddleware(RequestDelegate next, ProxyState state)
{
    public Task InvokeAsync(HttpContext context)
    {
        var info = EdgeRequestInfo.Get(context);
        info.Route = state.Current.Paths.Classify(context.Request.Path.Value ?? "");
        return info.Route switch
        {
            EdgeRoute.Dr or EdgeRoute.DataConn => next(context),
            EdgeRoute.BadPath => EdgeResponses.WriteAsync(context, StatusCodes.Status400BadRequest, "bad_path", "the request path is not accepted"),
            _ => EdgeResponses.WriteAsync(context, StatusCodes.Status404NotFound, "not_found", "no such resource"),
        };
    }
}
