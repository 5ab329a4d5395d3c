using System.Reflection;
using EdgeProxy.Admission;
using EdgeProxy.Configuration;
using EdgeProxy.Tests.Support;

namespace EdgeProxy.Tests.Configuration;

public class PropertyCatalogTests
{
    [Theory]
    [InlineData("EDGEPROXY_LOG_FROMAT", "EDGEPROXY_LOG_FORMAT")]
    [InlineData("EDGEPROXY_DR_PATH", "EDGEPROXY_DR_PATHS")]
    [InlineData("EDGEPROXY_UPSTREAM_CLIENT_CERT", "EDGEPROXY_UPSTREAM_CLIENT_CRT")]
    [InlineData("EDGEPROXY_ENVIRONEMNT", "EDGEPROXY_ENVIRONMENT")]
    [InlineData("EDGEPROXY_BLOCKED_PATH", "EDGEPROXY_BLOCKED_PATHS")]
    public void Suggest_Misspelt_GivesClosestKey(string key, string expected) => Assert.Equal(expected, PropertyCatalog.Suggest(key));

    [Theory]
    [InlineData("EDGEPROXY_ENABLE_QUANTUM_ROUTING")]
    [InlineData("EDGEPROXY_X")]
    public void Suggest_NothingClose_Null(string key) => Assert.Null(PropertyCatalog.Suggest(key));

    [Fact]
    public void All_EveryDescriptorOfTheCatalog_InDeclarationOrderOnce()
    {
        var fields = typeof(PropertyCatalog).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType.IsAssignableTo(typeof(PropertyDefinition)))
            .Select(f => (PropertyDefinition)f.GetValue(null)!)
            .ToList();

        Assert.Equal(fields.Count, PropertyCatalog.All.Distinct().Count());
        Assert.Equal(fields.Select(p => p.Name), PropertyCatalog.All.Select(p => p.Name));
    }

    [Fact]
    public void All_NamesAndAliases_Unique()
    {
        var names = PropertyCatalog.All.SelectMany(p => p.Names).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void All_ReloadBehavior_FollowsTheDescriptorType()
    {
        Assert.All(PropertyCatalog.All, p => Assert.Equal(
            p.GetType().GetGenericTypeDefinition() == typeof(StartupProperty<>),
            p.Reload == ReloadBehavior.Restart));
    }

    [Theory]
    [InlineData("ngx_cloudconnect_client_ips", "NGX_CLOUDCONNECT_CLIENT_IPS")]
    [InlineData("Edgeproxy_Log_Format", "EDGEPROXY_LOG_FORMAT")]
    [InlineData("ngx_prxy_status_ip", "NGX_PRXY_STATUS_IP")]
    [InlineData("NGX_LIMIT_REQ_DRY_RUN", "NGX_LIMIT_REQ_DRY_RUN")]
    public void FindIgnoringCase_SameLettersOtherCase_TheRightSpelling(string key, string expected) =>
        Assert.Equal(expected, PropertyCatalog.FindIgnoringCase(key));

    [Theory]
    [InlineData("ngx_something_else")]
    [InlineData("ngx_cloudconnect_client_ip")]
    public void FindIgnoringCase_NotAKnownKey_Null(string key) => Assert.Null(PropertyCatalog.FindIgnoringCase(key));

    [Fact]
    public void Find_Alias_TheDescriptorItAliases()
    {
        Assert.Same(PropertyCatalog.InternalBindingIp, PropertyCatalog.Find("NGX_PRXY_STATUS_IP"));
        Assert.Null(PropertyCatalog.Find("ngx_prxy_status_ip"));
    }

    [Fact]
    public void All_Masked_ExactlyThePrivateKeys()
    {
        Assert.Equal([PropertyCatalog.ServerKey.Name, PropertyCatalog.UpstreamClientKey.Name], PropertyCatalog.All.Where(p => p.Masked).Select(p => p.Name));
    }

    [Fact]
    public void All_Required_HaveNoDefault()
    {
        Assert.Equal(
            [PropertyCatalog.ExternalHostName.Name, PropertyCatalog.Publisher.Name, PropertyCatalog.Subscriber.Name, PropertyCatalog.ServerCertificate.Name, PropertyCatalog.ServerKey.Name, PropertyCatalog.TrustBundle.Name],
            PropertyCatalog.All.Where(p => p.Required).Select(p => p.Name));
        Assert.All(PropertyCatalog.All.Where(p => p.Required), p => Assert.Null(p.Default));
    }

    [Fact]
    public void All_EveryProperty_DocumentedInTheConfigurationReferenceAsItsDescriptorSays()
    {
        var rows = ReferenceRows();

        Assert.All(PropertyCatalog.All, p =>
        {
            Assert.True(rows.TryGetValue(p.Name, out var row), $"docs/configuration.md has no row for {p.Name}");
            Assert.Equal(p.Description, row.Meaning);
            var expectedDefault = p.Required ? "**required**"
                : p.Default is null ? "(empty)"
                : p == PropertyCatalog.ClientIps ? "Cisco's 12 Webex Connect addresses"
                : $"`{p.Default}`";
            Assert.Equal(expectedDefault, row.Default);
            Assert.Equal(HotReloadColumn(p), row.HotReload);
        });
    }

    [Fact]
    public void All_EveryAlias_DocumentedInTheConfigurationReferenceWithItsKeysDefaultAndReload()
    {
        var rows = ReferenceRows();
        var aliased = PropertyCatalog.All.Where(p => p.Aliases.Count > 0).ToList();

        Assert.NotEmpty(aliased);
        Assert.All(aliased.SelectMany(p => p.Aliases.Select(alias => (p, alias))), a =>
        {
            Assert.True(rows.TryGetValue(a.alias, out var row), $"docs/configuration.md has no row for {a.alias}");
            Assert.Contains(a.p.Name, row.Meaning, StringComparison.Ordinal);
            Assert.Equal(rows[a.p.Name].Default, row.Default);
            Assert.Equal(HotReloadColumn(a.p), row.HotReload);
        });
    }

    private static string HotReloadColumn(PropertyDefinition p) => p.Reload switch
    {
        ReloadBehavior.Restart => "no",
        ReloadBehavior.HotFile => "yes (and file changes)",
        _ => "yes",
    };

    // The "Property reference" tables of docs/configuration.md (grouped, one row per key across them):
    // | `KEY` | meaning | default | hot reload |, with '|' in a cell escaped as '\|'.
    private static Dictionary<string, (string Meaning, string Default, string HotReload)> ReferenceRows() =>
        File.ReadAllLines(RepositoryPaths.ConfigurationReference)
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(line => line.Replace("\\|", "\u0001", StringComparison.Ordinal).Split('|', StringSplitOptions.TrimEntries))
            .Where(cells => cells.Length == 6)
            .Select(cells => cells.Select(c => c.Replace("\u0001", "|", StringComparison.Ordinal)).ToArray())
            .ToDictionary(cells => cells[1].Trim('`'), cells => (cells[2], cells[3], cells[4]));

    [Fact]
    public void CiscoDefaultClientIps_TwelveAddresses()
    {
        var addresses = PropertyCatalog.CiscoDefaultClientIps.Split('|');

        Assert.Equal(12, addresses.Distinct().Count());
        Assert.All(addresses, a => Assert.True(IpAddressGrammar.TryParseAddress(a, out _), a));
    }
}
