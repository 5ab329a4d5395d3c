using EdgeProxy.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace EdgeProxy.Upstreams;

/// <summary>
/// Applies reloaded NGX_CLOUDCONNECT_HEALTHCHECK_* settings (hot-reloadable): the tracker counts with the new
/// RISE/FALL/codes and YARP's probe schedule gets the new interval and timeout through its in-memory config.
/// </summary>
public sealed class HealthCheckReload(ProxyState state, ActiveNodeTracker tracker, InMemoryConfigProvider yarpConfig, ILogger<HealthCheckReload> logger)
{
    public void Start() => state.Changed += Apply;

    private void Apply(ActiveConfiguration configuration)
    {
        var rules = HealthCheckRules.From(configuration.Settings);
        if (rules.SameAs(tracker.Snapshot.Rules))
        {
            return;
        }

        tracker.UpdateRules(rules);
        yarpConfig.Update(YarpConfigBuilder.Routes(configuration.Settings), YarpConfigBuilder.Clusters(configuration.Settings));
        FailoverLog.HealthCheckRulesChanged(logger, rules.Rise, rules.Fall, string.Join("|", rules.Codes), rules.Interval.TotalMilliseconds, rules.Timeout.TotalMilliseconds);
    }
}
