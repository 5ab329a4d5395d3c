using EdgeProxy.Configuration;
using EdgeProxy.Edge;
using EdgeProxy.Tests.Support;

namespace EdgeProxy.Tests.Edge;

public class PathPolicyTests
{
    private static readonly (string, string)[] Required =
    [
        (PropertyCatalog.ExternalHostName.Name, "proxy.example.com"),
        (PropertyCatalog.Publisher.Name, "publisher.example.com"),
        (PropertyCatalog.Subscriber.Name, "subscriber.example.com"),
        (PropertyCatalog.ServerCertificate.Name, "/certs/proxy.crt"),
        (PropertyCatalog.ServerKey.Name, "/certs/proxy.key"),
        (PropertyCatalog.TrustBundle.Name, "/certs/ca.crt"),
    ];

    private static PathPolicy Policy(params (string, string)[] extra)
    {
        var errors = new List<ConfigError>();
        var settings = SettingsBinder.Bind(TestEnv.EnvSetOf([.. Required, .. extra]), errors, []);
        Assert.Empty(errors);
        return new PathPolicy(settings!);
    }

    [Theory]
    [InlineData("/drapi/v1/tasks", EdgeRoute.Dr)]
    [InlineData("/drapi/v1/tasks/1234", EdgeRoute.Dr)]
    [InlineData("/drapi/v1/ping", EdgeRoute.Dr)]
    [InlineData("/drapi/", EdgeRoute.Dr)]
    [InlineData("/drapi", EdgeRoute.Dr)]
    [InlineData("/DrApi/v1/tasks", EdgeRoute.Dr)]
    [InlineData("/drapi/v1/configuration", EdgeRoute.Blocked)]
    [InlineData("/dataconn/x", EdgeRoute.DataConn)]
    [InlineData("/dataconn/", EdgeRoute.DataConn)]
    [InlineData("/dataconn", EdgeRoute.DataConn)]
    [InlineData("/DATACONN/users", EdgeRoute.DataConn)]
    [InlineData("/drapi/v1/config", EdgeRoute.Blocked)]
    [InlineData("/drapi/v1/config/", EdgeRoute.Blocked)]
    [InlineData("/drapi/v1/config/trace", EdgeRoute.Blocked)]
    [InlineData("/DRAPI/V1/CONFIG/x", EdgeRoute.Blocked)]
    [InlineData("/drapi/v1/Config/trace", EdgeRoute.Blocked)]
    [InlineData("/drapi/v1/status", EdgeRoute.Blocked)]
    [InlineData("/drapi/v1/status/", EdgeRoute.Blocked)]
    [InlineData("/drapi/v1/config ", EdgeRoute.Blocked)]
    [InlineData("/cloudconnectmgmt/x", EdgeRoute.NotFound)]
    [InlineData("/cloudconnectmgmt", EdgeRoute.NotFound)]
    [InlineData("/", EdgeRoute.NotFound)]
    [InlineData("/drap", EdgeRoute.NotFound)]
    [InlineData("/drapix/v1/tasks", EdgeRoute.NotFound)]
    [InlineData("/dataconnx", EdgeRoute.NotFound)]
    [InlineData("/favicon.ico", EdgeRoute.NotFound)]
    [InlineData("//drapi/v1/tasks", EdgeRoute.BadPath)]
    [InlineData("/drapi//v1/config", EdgeRoute.BadPath)]
    [InlineData("/drapi/v1/config;x/trace", EdgeRoute.BadPath)]
    [InlineData("/drapi/v1/config;jsessionid=1", EdgeRoute.BadPath)]
    [InlineData("/drapi;/v1/config", EdgeRoute.BadPath)]
    [InlineData("/drapi%2fv1", EdgeRoute.BadPath)]
    [InlineData("/drapi%2Fv1/config", EdgeRoute.BadPath)]
    [InlineData("/drapi%5cv1", EdgeRoute.BadPath)]
    [InlineData("/drapi\\v1", EdgeRoute.BadPath)]
    [InlineData("/drapi/v1\\config", EdgeRoute.BadPath)]
    [InlineData("/drapi/v1/tasks\0", EdgeRoute.BadPath)]
    [InlineData("/drapi/v1/tasks\r\n", EdgeRoute.BadPath)]
    [InlineData("/drapi/v1/\tconfig", EdgeRoute.BadPath)]
    [InlineData("", EdgeRoute.BadPath)]
    [InlineData("drapi/v1/tasks", EdgeRoute.BadPath)]
    [InlineData("*", EdgeRoute.BadPath)]
    public void Classify_DefaultPrefixes_Route(string path, EdgeRoute expected) => Assert.Equal(expected, Policy().Classify(path));

    [Theory]
    [InlineData("/api/dr/tasks", EdgeRoute.Dr)]
    [InlineData("/drapi/v1/tasks", EdgeRoute.DataConn)]
    [InlineData("/api/dr/internal/x", EdgeRoute.Blocked)]
    [InlineData("/drapi/v1/config", EdgeRoute.DataConn)]
    [InlineData("/dataconn/x", EdgeRoute.NotFound)]
    public void Classify_ConfiguredPrefixes_Route(string path, EdgeRoute expected)
    {
        var policy = Policy(
            (PropertyCatalog.DrPaths.Name, "/api/dr/"),
            (PropertyCatalog.DataConnPaths.Name, "/drapi/"),
            (PropertyCatalog.BlockedPaths.Name, "/api/dr/internal"));

        Assert.Equal(expected, policy.Classify(path));
    }
}
