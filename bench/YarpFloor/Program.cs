// The framework floor for bench/run.sh: Kestrel with TLS plus YARP forwarding over mutual TLS to one node,
// nothing else (no allow-list, health checks, metrics or logging). What EdgeProxy's stack costs before
// EdgeProxy adds anything; not a product, never shipped.
//
//   YarpFloor LISTEN_ADDR:PORT CERT_PEM KEY_PEM CA_PEM NODE_URL
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Yarp.ReverseProxy.Configuration;

if (args.Length != 5)
{
    Console.Error.WriteLine("usage: YarpFloor LISTEN_ADDR:PORT CERT_PEM KEY_PEM CA_PEM NODE_URL");
    return 2;
}

var listen = IPEndPoint.Parse(args[0]);
var certificate = X509Certificate2.CreateFromPemFile(args[1], args[2]);
var ca = X509CertificateLoader.LoadCertificateFromFile(args[3]);
// Same I/O model as EdgeProxy (Hosting/InlineIo.cs), so the comparison is of the stack, not the scheduling.
var inline = Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1";

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
builder.Logging.ClearProviders();
builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = inline);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(listen, endpoint =>
{
    endpoint.Protocols = HttpProtocols.Http1AndHttp2;
    endpoint.UseHttps(certificate);
}));

var chainPolicy = new X509ChainPolicy
{
    TrustMode = X509ChainTrustMode.CustomRootTrust,
    RevocationMode = X509RevocationMode.NoCheck,
    DisableCertificateDownloads = true,
};
chainPolicy.CustomTrustStore.Add(ca);

builder.Services.AddReverseProxy()
    .LoadFromMemory(
        [new RouteConfig { RouteId = "all", ClusterId = "node", Match = new RouteMatch { Path = "{**rest}" } }],
        [new ClusterConfig
        {
            ClusterId = "node",
            Destinations = new Dictionary<string, DestinationConfig> { ["node1"] = new() { Address = args[4] } },
            // HTTP/1.1 keep-alive to the node, as EdgeProxy (Upstreams/NodeForwarder.cs) and nginx do.
            HttpRequest = new() { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact },
        }])
    .ConfigureHttpClient((_, handler) => handler.SslOptions = new SslClientAuthenticationOptions
    {
        ClientCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true),
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        CertificateChainPolicy = chainPolicy,
    });

var app = builder.Build();
app.MapReverseProxy();
app.Run();
return 0;
