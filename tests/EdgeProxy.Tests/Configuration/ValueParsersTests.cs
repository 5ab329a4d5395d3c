using System.Net;
using System.Security.Authentication;
using EdgeProxy.Configuration;
using Serilog.Events;

namespace EdgeProxy.Tests.Configuration;

public class ValueParsersTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1024", 1024L)]
    [InlineData("8k", 8L * 1024)]
    [InlineData("8K", 8L * 1024)]
    [InlineData("15m", 15L * 1024 * 1024)]
    [InlineData("15M", 15L * 1024 * 1024)]
    [InlineData("1g", 1L << 30)]
    [InlineData("1G", 1L << 30)]
    [InlineData(" 512k ", 512L * 1024)]
    public void TryParseSize_Valid_GivesBytes(string value, long expected)
    {
        Assert.True(ValueParsers.TryParseSize(value, out var bytes, out var error), error);
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("k")]
    [InlineData("15mb")]
    [InlineData("15 m")]
    [InlineData("1t")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1.5m")]
    [InlineData("ten")]
    [InlineData("99999999999999999999")]
    [InlineData("9223372036854775807k")]
    public void TryParseSize_Invalid_SaysWhatIsValid(string value)
    {
        Assert.False(ValueParsers.TryParseSize(value, out _, out var error));
        Assert.Equal($"'{value}' is not a size (e.g. 1048576, 512k, 15m, 1g)", error);
    }

    public static TheoryData<string, bool, TimeSpan> ValidDurations => new()
    {
        { "10s", true, TimeSpan.FromSeconds(10) },
        { "500ms", true, TimeSpan.FromMilliseconds(500) },
        { "1m", true, TimeSpan.FromMinutes(1) },
        { "1h", true, TimeSpan.FromHours(1) },
        { "1d", true, TimeSpan.FromDays(1) },
        { "1h 30m", true, TimeSpan.FromMinutes(90) },
        { "1h30m", true, TimeSpan.FromMinutes(90) },
        { "1m 500ms", true, TimeSpan.FromMilliseconds(60_500) },
        { " 20s ", true, TimeSpan.FromSeconds(20) },
        { "0s", true, TimeSpan.Zero },
        { "10", true, TimeSpan.FromSeconds(10) },
        { "10", false, TimeSpan.FromMilliseconds(10) },
        { "2000", false, TimeSpan.FromSeconds(2) },
        { "2s", false, TimeSpan.FromSeconds(2) },
        { "0", true, TimeSpan.Zero },
    };

    [Theory]
    [MemberData(nameof(ValidDurations))]
    public void TryParseDuration_Valid_GivesTime(string value, bool bareSeconds, TimeSpan expected)
    {
        var bareUnit = bareSeconds ? TimeSpan.FromSeconds(1) : TimeSpan.FromMilliseconds(1);

        Assert.True(ValueParsers.TryParseDuration(value, bareUnit, out var result, out var error), error);
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("s")]
    [InlineData("10x")]
    [InlineData("10sec")]
    [InlineData("10S")]
    [InlineData("-5s")]
    [InlineData("1.5s")]
    [InlineData("10s5")]
    [InlineData("ten seconds")]
    [InlineData("99999999999s")]
    [InlineData("1000000000d")]
    [InlineData("200000000h 200000000h")]
    public void TryParseDuration_Invalid_SaysWhatIsValid(string value)
    {
        Assert.False(ValueParsers.TryParseDuration(value, TimeSpan.FromSeconds(1), out _, out var error));
        Assert.Equal($"'{value}' is not a time (e.g. 10s, 500ms, 1m, 1h 30m)", error);
    }

    [Theory]
    [InlineData("100r/s", 100, 1)]
    [InlineData("5r/m", 5, 60)]
    [InlineData(" 1r/s ", 1, 1)]
    [InlineData("30000r/m", 30000, 60)]
    public void TryParseRate_Valid_GivesCountPerPeriod(string value, int requests, int periodSeconds)
    {
        Assert.True(ValueParsers.TryParseRate(value, out var rate, out var error), error);
        Assert.Equal(new RequestRate(requests, TimeSpan.FromSeconds(periodSeconds)), rate);
    }

    [Theory]
    [InlineData("0r/s")]
    [InlineData("100r/h")]
    [InlineData("100r/d")]
    [InlineData("100")]
    [InlineData("r/s")]
    [InlineData("-1r/s")]
    [InlineData("1.5r/s")]
    [InlineData("100r/sec")]
    [InlineData("100 r/s")]
    [InlineData("100R/S")]
    [InlineData("")]
    public void TryParseRate_Invalid_SaysWhatIsValid(string value)
    {
        Assert.False(ValueParsers.TryParseRate(value, out _, out var error));
        Assert.Equal($"'{value}' is not a rate (e.g. 100r/s or 5r/m, more than zero)", error);
    }

    [Theory]
    [InlineData("100r/s", "100r/s")]
    [InlineData("5r/m", "5r/m")]
    public void RequestRate_ToString_RoundTripsNginxForm(string value, string expected)
    {
        Assert.True(ValueParsers.TryParseRate(value, out var rate, out _));
        Assert.Equal(expected, rate.ToString());
    }

    [Theory]
    [InlineData("{200}", new[] { 200 })]
    [InlineData("{200,204}", new[] { 200, 204 })]
    [InlineData("{200, 204}", new[] { 200, 204 })]
    [InlineData("200|204", new[] { 200, 204 })]
    [InlineData("200 204 200", new[] { 200, 204 })]
    [InlineData("200", new[] { 200 })]
    [InlineData("100|599", new[] { 100, 599 })]
    public void TryParseStatusCodes_Valid_GivesSet(string value, int[] expected)
    {
        Assert.True(ValueParsers.TryParseStatusCodes(value, out var codes, out var error), error);
        Assert.Equal(expected, codes.Order());
    }

    [Theory]
    [InlineData("99", "'99' in '99' is not an HTTP status code (100-599); write e.g. {200} or 200|204")]
    [InlineData("{200,600}", "'600' in '{200,600}' is not an HTTP status code (100-599); write e.g. {200} or 200|204")]
    [InlineData("200|OK", "'OK' in '200|OK' is not an HTTP status code (100-599); write e.g. {200} or 200|204")]
    [InlineData("2xx", "'2xx' in '2xx' is not an HTTP status code (100-599); write e.g. {200} or 200|204")]
    [InlineData("{}", "no status code given; write e.g. {200} or 200|204")]
    [InlineData("", "no status code given; write e.g. {200} or 200|204")]
    [InlineData(" | ", "no status code given; write e.g. {200} or 200|204")]
    public void TryParseStatusCodes_Invalid_SaysWhatIsValid(string value, string message)
    {
        Assert.False(ValueParsers.TryParseStatusCodes(value, out _, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("on", true)]
    [InlineData("ON", true)]
    [InlineData("yes", true)]
    [InlineData("1", true)]
    [InlineData(" true ", true)]
    [InlineData("false", false)]
    [InlineData("FALSE", false)]
    [InlineData("off", false)]
    [InlineData("no", false)]
    [InlineData("0", false)]
    public void TryParseBool_Valid_GivesValue(string value, bool expected)
    {
        Assert.True(ValueParsers.TryParseBool(value, out var result, out var error), error);
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("enabled")]
    [InlineData("t")]
    [InlineData("y")]
    public void TryParseBool_Invalid_SaysWhatIsValid(string value)
    {
        Assert.False(ValueParsers.TryParseBool(value, out _, out var error));
        Assert.Equal($"'{value}' is not a boolean (use true/false or on/off)", error);
    }

    [Theory]
    [InlineData("0", 0, 10, 0)]
    [InlineData("10", 0, 10, 10)]
    [InlineData(" 5 ", 0, 10, 5)]
    public void TryParseInt_InRange_GivesValue(string value, int min, int max, int expected)
    {
        Assert.True(ValueParsers.TryParseInt(value, min, max, out var result, out _));
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("11")]
    [InlineData("-1")]
    [InlineData("1.0")]
    [InlineData("1e3")]
    [InlineData("")]
    [InlineData("99999999999")]
    public void TryParseInt_OutOfRangeOrNotANumber_SaysRange(string value)
    {
        Assert.False(ValueParsers.TryParseInt(value, 0, 10, out _, out var error));
        Assert.Equal($"'{value}' is not a whole number from 0 to 10", error);
    }

    [Theory]
    [InlineData("cc-publisher.example.com", "cc-publisher.example.com", 8445)]
    [InlineData("cc-publisher.example.com:8446", "cc-publisher.example.com", 8446)]
    [InlineData("publisher", "publisher", 8445)]
    [InlineData("publisher.", "publisher.", 8445)]
    [InlineData(" publisher:1 ", "publisher", 1)]
    [InlineData("publisher:65535", "publisher", 65535)]
    [InlineData("10.0.0.11", "10.0.0.11", 8445)]
    [InlineData("10.0.0.11:9443", "10.0.0.11", 9443)]
    [InlineData("10.0.0.0", "10.0.0.0", 8445)]
    [InlineData("[2001:db8::11]:9443", "2001:db8::11", 9443)]
    [InlineData("[2001:db8::11]", "2001:db8::11", 8445)]
    [InlineData("2001:db8::11", "2001:db8::11", 8445)]
    [InlineData("::1", "::1", 8445)]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example", 8445)]
    [InlineData("1node.example.com", "1node.example.com", 8445)]
    public void TryParseNodeAddress_Valid_GivesHostAndPort(string value, string host, int port)
    {
        Assert.True(ValueParsers.TryParseNodeAddress(value, out var address, out var error), error);
        Assert.Equal(new NodeAddress(host, port), address);
    }

    [Theory]
    [InlineData("publisher:0")]
    [InlineData("publisher:65536")]
    [InlineData("publisher:-1")]
    [InlineData("publisher:http")]
    [InlineData("publisher:")]
    [InlineData("10.0.0.11:0")]
    [InlineData("[2001:db8::11]:70000")]
    public void TryParseNodeAddress_BadPort_SaysPortRange(string value)
    {
        Assert.False(ValueParsers.TryParseNodeAddress(value, out var address, out var error));
        Assert.Null(address);
        Assert.Equal($"'{value}' has an invalid port (1-65535)", error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.1")]
    [InlineData("10.0.1")]
    [InlineData("010.0.0.1")]
    [InlineData("10.0.0.010:8445")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("0x7f.0.0.1:8445")]
    [InlineData("127.0.0.1.")]
    [InlineData("node.example.0x1")]
    [InlineData("node.example.123")]
    [InlineData("[::ffff:10.0.0.011]:8445")]
    [InlineData("10.0.0.1.5")]
    [InlineData("256.0.0.1")]
    [InlineData("-publisher.example.com")]
    [InlineData("publisher-.example.com")]
    [InlineData("pub..example.com")]
    [InlineData("pub_lisher.example.com")]
    [InlineData("pub lisher")]
    [InlineData("publisher/drapi")]
    [InlineData("fe80::1%eth0")]
    [InlineData("[fe80::1%eth0]:8445")]
    [InlineData("[2001:db8::11]x")]
    [InlineData("[2001:db8::11]:")]
    [InlineData("[2001:db8::11")]
    [InlineData("2001:db8::zz")]
    public void TryParseNodeAddress_BadHost_SaysHostPortForm(string value)
    {
        Assert.False(ValueParsers.TryParseNodeAddress(value, out var address, out var error));
        Assert.Null(address);
        Assert.Equal($"'{value}' is not host[:port] (a DNS name or IP address, optional port, default 8445)", error);
    }

    [Fact]
    public void IsValidHost_LabelOf64Characters_Rejected()
    {
        Assert.True(ValueParsers.IsValidHost(new string('a', 63) + ".example.com"));
        Assert.False(ValueParsers.IsValidHost(new string('a', 64) + ".example.com"));
    }

    [Theory]
    [InlineData("cc.example.com", 8445, "cc.example.com:8445", "https://cc.example.com:8445/")]
    [InlineData("2001:db8::11", 9443, "[2001:db8::11]:9443", "https://[2001:db8::11]:9443/")]
    public void NodeAddress_Formats_BracketIPv6(string host, int port, string text, string uri)
    {
        var address = new NodeAddress(host, port);

        Assert.Equal(text, address.ToString());
        Assert.Equal(new Uri(uri), address.BaseUri);
    }

    [Theory]
    [InlineData("TLSv1.2", SslProtocols.Tls12 | SslProtocols.Tls13)]
    [InlineData("tlsv1.2", SslProtocols.Tls12 | SslProtocols.Tls13)]
    [InlineData("TLSv1.3", SslProtocols.Tls13)]
    [InlineData("TLSv1.2 TLSv1.3", SslProtocols.Tls12 | SslProtocols.Tls13)]
    [InlineData("TLSv1.3|TLSv1.2", SslProtocols.Tls12 | SslProtocols.Tls13)]
    public void TryParseTlsProtocols_Valid_GivesProtocols(string value, SslProtocols expected)
    {
        Assert.True(ValueParsers.TryParseTlsProtocols(value, out var protocols, out var error), error);
        Assert.Equal(expected, protocols);
    }

    [Theory]
    [InlineData("TLSv1.1", "TLSv1.1 is insecure and not supported; use TLSv1.2 and/or TLSv1.3")]
    [InlineData("TLSv1 TLSv1.1 TLSv1.2", "TLSv1 is insecure and not supported; use TLSv1.2 and/or TLSv1.3")]
    [InlineData("TLSv1.2 TLSv1.1", "TLSv1.1 is insecure and not supported; use TLSv1.2 and/or TLSv1.3")]
    [InlineData("SSLv3", "SSLv3 is insecure and not supported; use TLSv1.2 and/or TLSv1.3")]
    [InlineData("SSLv2", "SSLv2 is insecure and not supported; use TLSv1.2 and/or TLSv1.3")]
    [InlineData("TLSv1.4", "'TLSv1.4' is not a TLS version (TLSv1.2, TLSv1.3)")]
    [InlineData("TLS1.2", "'TLS1.2' is not a TLS version (TLSv1.2, TLSv1.3)")]
    [InlineData("", "no TLS version given (TLSv1.2, TLSv1.3)")]
    [InlineData(" | ", "no TLS version given (TLSv1.2, TLSv1.3)")]
    public void TryParseTlsProtocols_Invalid_SaysWhatIsValid(string value, string message)
    {
        Assert.False(ValueParsers.TryParseTlsProtocols(value, out _, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("debug", LogEventLevel.Debug)]
    [InlineData("info", LogEventLevel.Information)]
    [InlineData("INFO", LogEventLevel.Information)]
    [InlineData("notice", LogEventLevel.Information)]
    [InlineData("warn", LogEventLevel.Warning)]
    [InlineData("warning", LogEventLevel.Warning)]
    [InlineData("error", LogEventLevel.Error)]
    [InlineData("crit", LogEventLevel.Fatal)]
    [InlineData("alert", LogEventLevel.Fatal)]
    [InlineData("emerg", LogEventLevel.Fatal)]
    public void TryParseLogLevel_NginxLevel_MapsToSerilog(string value, LogEventLevel expected)
    {
        Assert.True(ValueParsers.TryParseLogLevel(value, out var level, out var error), error);
        Assert.Equal(expected, level);
    }

    [Theory]
    [InlineData("verbose")]
    [InlineData("trace")]
    [InlineData("")]
    public void TryParseLogLevel_Unknown_ListsTheLevels(string value)
    {
        Assert.False(ValueParsers.TryParseLogLevel(value, out _, out var error));
        Assert.Equal($"'{value}' is not a log level (debug, info, notice, warn, error, crit, alert, emerg)", error);
    }

    [Theory]
    [InlineData("/drapi/", new[] { "/drapi/" })]
    [InlineData("/drapi/v1/config|/drapi/v1/status", new[] { "/drapi/v1/config", "/drapi/v1/status" })]
    [InlineData("/a, /b /c", new[] { "/a", "/b", "/c" })]
    [InlineData("/", new[] { "/" })]
    public void TryParsePathPrefixes_Valid_GivesList(string value, string[] expected)
    {
        Assert.True(ValueParsers.TryParsePathPrefixes(value, out var prefixes, out var error), error);
        Assert.Equal(expected, prefixes);
    }

    [Theory]
    [InlineData("drapi/", "drapi/")]
    [InlineData("/drapi/|dataconn", "dataconn")]
    [InlineData("//drapi/", "//drapi/")]
    [InlineData("/drapi//v1", "/drapi//v1")]
    [InlineData("/drapi;x", "/drapi;x")]
    [InlineData("/drapi\\v1", "/drapi\\v1")]
    [InlineData("/drapi?x", "/drapi?x")]
    [InlineData("/drapi#x", "/drapi#x")]
    public void TryParsePathPrefixes_Invalid_NamesTheEntry(string value, string entry)
    {
        Assert.False(ValueParsers.TryParsePathPrefixes(value, out _, out var error));
        Assert.Equal($"'{entry}' is not a path prefix (must start with '/', no '//', ';', '?', '#' or '\\')", error);
    }

    [Theory]
    [InlineData("X-Forwarded-For", true)]
    [InlineData("X-Real-IP", true)]
    [InlineData("TrackingID", true)]
    [InlineData("x_client~ip!#$%&'*+.^`|", true)]
    [InlineData("", false)]
    [InlineData("X Real IP", false)]
    [InlineData("X-Real-IP:", false)]
    [InlineData("X-Réal", false)]
    [InlineData("(X)", false)]
    [InlineData("X\"Y", false)]
    public void IsValidHeaderName_Token_Expected(string name, bool expected) => Assert.Equal(expected, ValueParsers.IsValidHeaderName(name));

    [Theory]
    [InlineData("a|b", new[] { "a", "b" })]
    [InlineData("a, b,c", new[] { "a", "b", "c" })]
    [InlineData(" a\tb  c ", new[] { "a", "b", "c" })]
    [InlineData("|a||b|", new[] { "a", "b" })]
    [InlineData("", new string[0])]
    public void SplitList_CiscoPipesCommasAndWhiteSpace_Split(string value, string[] expected) => Assert.Equal(expected, ValueParsers.SplitList(value));
}
