using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Primitives;

namespace EdgeProxy.IntegrationTests.Infrastructure;

/// <summary>
/// EdgeProxy's real entry point (Program, its command line and env loading) on the in-memory test server, so a test
/// can inject the socket peer; the env file passes as <c>--env=FILE</c>, as WebApplicationFactory turns settings into arguments.
/// </summary>
public sealed class EdgeProxyFactory(string envFile) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseSetting("env", envFile);

    /// <summary>Sends a GET as if it came from <paramref name="peer"/>.</summary>
    public Task<HttpContext> SendFromAsync(string peer, string path, params (string Name, string Value)[] headers) =>
        Server.SendAsync(context =>
        {
            context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
            context.Connection.LocalIpAddress = IPAddress.Loopback;
            context.Request.Method = "GET";
            context.Request.Scheme = "https";
            context.Request.Path = path;
            foreach (var (name, value) in headers)
            {
                context.Request.Headers[name] = StringValues.Concat(context.Request.Headers[name], value);
            }
        });
}
