// The direct-forwarding floor for bench/run.sh: Kestrel with TLS plus YARP's IHttpForwarder over mutual TLS
// to one node with keep-alive, nothing else (no routes, clusters, allow-list, health checks, metrics or
// logging). What EdgeProxy's request path (Upstreams/NodeForwarder.cs) costs before EdgeProxy adds anything;
// not a product, never shipped.
//
//   DirectFloor LISTEN_ADDR:PORT CERT_PEM KEY_PEM CA_PEM NODE_URL
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Yarp.ReverseProxy.Forwarder;

if (args.Length != 5)
{
    Console.Error.WriteLine("usage: DirectFloor LISTEN_ADDR:PORT CERT_PEM KEY_PEM CA_PEM NODE_URL");
    return 2;
}

var listen = IPEndPoint.Parse(args[0]);
var certificate = X509Certificate2.CreateFromPemFile(args[1], args[2]);
var ca = X509CertificateLoader.LoadCertificateFromFile(args[3]);
var node = args[4];
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
builder.Services.AddHttpForwarder();

var chainPolicy = new X509ChainPolicy
{
    TrustMode = X509ChainTrustMode.CustomRootTrust,
    RevocationMode = X509RevocationMode.NoCheck,
    DisableCertificateDownloads = true,
};
chainPolicy.CustomTrustStore.Add(ca);
var invoker = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
    SslOptions = new SslClientAuthenticationOptions
    {
        ClientCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true),
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        CertificateChainPolicy = chainPolicy,
    },
});
// HTTP/1.1 keep-alive to the node, as EdgeProxy (Upstreams/NodeForwarder.cs) and nginx do.
var requestConfig = new ForwarderRequestConfig { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

var app = builder.Build();
var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
app.Run(async context => await forwarder.SendAsync(context, node, invoker, requestConfig, HttpTransformer.Default));
app.Run();
return 0;
