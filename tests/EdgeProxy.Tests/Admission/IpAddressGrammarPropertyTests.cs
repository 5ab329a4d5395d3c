using System.Net;
using CsCheck;
using EdgeProxy.Admission;
using EdgeProxy.Configuration;
using EdgeProxy.Tests.Support;
using Microsoft.Extensions.Primitives;

namespace EdgeProxy.Tests.Admission;

/// <summary>
/// One grammar for every input path, checked through the real entry points (the env binder, the
/// X-Forwarded-For walk, the single-value header), and agreement with the framework parsers it narrows.
/// </summary>
public sealed class IpAddressGrammarPropertyTests
{
    private static readonly IPAddress Balancer = IPAddress.Parse("192.0.2.10");
    private static readonly IPNetwork[] Everyone = [IPNetwork.Parse("0.0.0.0/0"), IPNetwork.Parse("::/0")];
    private static readonly AdmissionPolicy ForwardedFor = new(Everyone, [new IPNetwork(Balancer, 32)], "X-Forwarded-For", false);
    private static readonly AdmissionPolicy RealIp = new(Everyone, [new IPNetwork(Balancer, 32)], "X-Real-IP", false);

    private static readonly (string, string)[] RequiredKeys =
    [
        (PropertyCatalog.ExternalHostName.Name, "proxy.example.com"), (PropertyCatalog.Publisher.Name, "publisher.example.com"), (PropertyCatalog.Subscriber.Name, "subscriber.example.com"),
        (PropertyCatalog.ServerCertificate.Name, "/certs/proxy.crt"), (PropertyCatalog.ServerKey.Name, "/certs/proxy.key"), (PropertyCatalog.TrustBundle.Name, "/certs/ca.crt"),
    ];

    [Fact]
    public void EveryInputPath_SameText_SameAddressOrSameRefusal()
    {
        var sample = from core in AddressTextGen.Text
                     from decoration in Gen.Int[0, 3]
                     from port in Gen.Int[0, 65535]
                     from pad in Gen.OneOf("", " ", "\t", " \t ")
                     select (core, decoration, port, pad);

        sample.Sample((core, decoration, port, pad) =>
        {
            var text = pad + decoration switch
            {
                0 => core,
                1 => $"{core}:{port}",
                2 => $"[{core}]",
                _ => $"[{core}]:{port}",
            } + pad;
            var fromXff = FromHeader(text, ForwardedFor);
            Assert.Equal(fromXff, FromHeader(text, RealIp));

            var bare = FromEnvAddress(core);
            if (decoration == 0)
            {
                Assert.Equal(bare, FromEnvAddress(text));
                if (IsBare(core))
                {
                    Assert.Equal(bare, fromXff);
                }

                if (core.Length > 0 && !core.Any(c => c == '/' || char.IsWhiteSpace(c)))
                {
                    Assert.Equal(bare, FromEnvList(text));
                }

                return;
            }

            // Ports and brackets are a balancer's forms only; inside them the address grammar is the same.
            // (An IPv6 address followed by ":port" may itself be another IPv6 address, so it proves nothing.)
            var isV6 = core.Contains(':', StringComparison.Ordinal);
            if (IsBare(core) && !core.Any(char.IsWhiteSpace) && !(decoration == 1 && isV6))
            {
                Assert.Null(FromEnvAddress(text));
                Assert.Equal(decoration == 1 || isV6 ? bare : null, fromXff);
            }
        }, iter: 5_000);
    }

    [Fact]
    public void TryParseAddress_CanonicalText_RoundTrips()
    {
        AddressTextGen.Address.Sample(address =>
        {
            Assert.True(IpAddressGrammar.TryParseAddress(address.ToString(), out var parsed), address.ToString());
            Assert.Equal(IpAddressGrammar.Normalize(address), parsed);
        }, iter: 10_000);
    }

    [Fact]
    public void TryParseAddress_AnyText_AgreesWithIPAddressWhereBothAccept()
    {
        AddressTextGen.Text.Sample(text =>
        {
            var framework = IPAddress.TryParse(text, out var expected);
            if (IpAddressGrammar.TryParseAddress(text, out var parsed))
            {
                // The grammar only narrows IPAddress: it never accepts what IPAddress refuses.
                Assert.True(framework, text);
                Assert.Equal(IpAddressGrammar.Normalize(expected!), parsed);
            }
            else if (framework && !text.Contains('%', StringComparison.Ordinal))
            {
                // Apart from zone ids, what it refuses IPAddress read from a non-canonical text (octal, hex, shorthand, brackets).
                Assert.NotEqual(expected!.ToString(), text);
            }
        }, iter: 20_000);
    }

    [Fact]
    public void TryParseNetwork_AnyCidr_AgreesWithIPNetworkWhereBothAccept()
    {
        Gen.OneOf<string>(AddressTextGen.Network, AddressTextGen.Text.Select(t => t + "/24")).Sample(text =>
        {
            var framework = IPNetwork.TryParse(text, out var expected);
            if (IpAddressGrammar.TryParseNetwork(text, out var parsed, out var error))
            {
                Assert.True(framework, text);
                Assert.Equal(IpAddressGrammar.Normalize(expected), parsed);
                Assert.Equal("", error);
            }
            else
            {
                Assert.NotEqual("", error);
            }
        }, iter: 20_000);
    }

    [Fact]
    public void TryParseNetwork_CanonicalCidr_RoundTrips()
    {
        Gen.Select(AddressTextGen.Address, Gen.Int[0, 128], (address, p) => new IPNetwork(address, p % (address.GetAddressBytes().Length * 8 + 1))).Sample(network =>
        {
            Assert.True(IpAddressGrammar.TryParseNetwork(network.ToString(), out var parsed, out var error), error);
            Assert.Equal(IpAddressGrammar.Normalize(network), parsed);
        }, iter: 10_000);
    }

    // Not already a port or bracket form, which only a header accepts.
    private static bool IsBare(string text) => !text.Contains('[', StringComparison.Ordinal) && text.Count(c => c == ':') != 1;

    private static IPAddress? FromHeader(string text, AdmissionPolicy policy) =>
        ClientAddressResolver.Decide(Balancer, new StringValues(text), policy).Client;

    private static IPAddress? FromEnvAddress(string text) => Bind(PropertyCatalog.BindingIp.Name, text)?.BindAddress;

    private static IPAddress? FromEnvList(string text) => Bind(PropertyCatalog.ClientIps.Name, text)?.ClientNetworks.Single().BaseAddress;

    private static EdgeProxySettings? Bind(string key, string value) =>
        SettingsBinder.Bind(TestEnv.EnvSetOf([.. RequiredKeys, (key, value)]), [], []);
}
