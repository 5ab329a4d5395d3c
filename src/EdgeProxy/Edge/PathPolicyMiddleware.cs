namespace EdgeProxy.Edge;

/// <summary>Answers bad, blocked and unrouted paths itself, so they never reach a node.</summary>
public sealed class PathPolicyMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        // Classified by EdgeRequestMiddleware, so refusals before this point are logged with their route.
        return EdgeRequestInfo.Get(context).Route switch
        {
            EdgeRoute.Dr or EdgeRoute.DataConn => next(context),
            EdgeRoute.BadPath => EdgeResponses.WriteAsync(context, StatusCodes.Status400BadRequest, "bad_path", "the request path is not accepted"),
            _ => EdgeResponses.WriteAsync(context, StatusCodes.Status404NotFound, "not_found", "no such resource"),
        };
    }
}
