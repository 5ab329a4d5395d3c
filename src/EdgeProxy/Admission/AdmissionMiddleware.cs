using EdgeProxy.Edge;

namespace EdgeProxy.Admission;

/// <summary>
/// Admits only allow-listed clients, finding the real client behind trusted load balancers. Refusals
/// are answered here (403, or 400 for a trusted balancer's bad header) and never reach a node.
/// Hand-written rather than ForwardedHeadersMiddleware: that middleware rewrites RemoteIpAddress and
/// keeps X-Original-* headers, while EdgeProxy needs the peer and the client side by side and a refusal.
/// </summary>
public sealed class AdmissionMiddleware(RequestDelegate next, ILoggerFactory loggerFactory)
{
    private readonly ILogger _blockingLog = loggerFactory.CreateLogger(AdmissionLog.Category);

    public Task InvokeAsync(HttpContext context)
    {
        var info = EdgeRequestInfo.Get(context);
        var policy = info.Configuration.Admission;
        var headerValues = policy.RealIpHeader is null || policy.ProxyProtocol ? default : context.Request.Headers[policy.RealIpHeader];
        var decision = ClientAddressResolver.Decide(info.Peer, headerValues, policy, context.Features.Get<ProxyProtocolClient>()?.EndPoint);
        if (decision.Client is not null)
        {
            info.Client = decision.Client;
        }

        if (decision.Admitted)
        {
            return next(context);
        }

        info.Refusal = decision.Refusal;
        var (status, error, reason) = decision.Refusal switch
        {
            RefusalReason.MissingClientHeader => (StatusCodes.Status400BadRequest, "bad_request", $"missing {policy.RealIpHeader} header"),
            RefusalReason.InvalidClientHeader => (StatusCodes.Status400BadRequest, "bad_request", $"invalid {policy.RealIpHeader} header"),
            _ => (StatusCodes.Status403Forbidden, "forbidden", "access denied"),
        };
        AdmissionLog.Refused(_blockingLog, context.Request.Method, context.Request.Path.Value ?? "", info.Peer.ToString(),
            decision.Client?.ToString() ?? "-", decision.Claimed ?? "-", decision.Refusal, status, info.TrackingId);
        return EdgeResponses.WriteAsync(context, status, error, reason);
    }
}
