using EdgeProxy.Configuration;

namespace EdgeProxy.Tests.Configuration;

public class EnvFileParserTests
{
    private const string Source = "/etc/edgeproxy/test.env";

    private static (List<EnvEntry> Entries, List<ConfigError> Errors) Parse(string text, IReadOnlyDictionary<string, string>? lookup = null)
    {
        var errors = new List<ConfigError>();
        var entries = EnvFileParser.Parse(Source, text, key => lookup?.GetValueOrDefault(key), errors);
        return (entries, errors);
    }

    [Theory]
    [InlineData("KEY=value", "KEY", "value")]
    [InlineData("export KEY=value", "KEY", "value")]
    [InlineData("export\tKEY=value", "KEY", "value")]
    [InlineData("  export   KEY=value  ", "KEY", "value")]
    [InlineData("exportKEY=value", "exportKEY", "value")]
    [InlineData("export=value", "export", "value")]
    [InlineData("KEY = value", "KEY", "value")]
    [InlineData("KEY='single ${NOT_INTERPOLATED} \\\" $HOME'", "KEY", "single ${NOT_INTERPOLATED} \\\" $HOME")]
    [InlineData("KEY=\"double quoted\"", "KEY", "double quoted")]
    [InlineData("KEY=\"  kept spaces  \"", "KEY", "  kept spaces  ")]
    [InlineData("KEY=\"say \\\"hi\\\"\"", "KEY", "say \"hi\"")]
    [InlineData("KEY=\"back\\\\slash\"", "KEY", "back\\slash")]
    [InlineData("KEY=\"cost \\$5\"", "KEY", "cost $5")]
    [InlineData("KEY=\"\\${NOT_INTERPOLATED}\"", "KEY", "${NOT_INTERPOLATED}")]
    [InlineData("KEY=\"other \\n escapes stay\"", "KEY", "other \\n escapes stay")]
    [InlineData("KEY=\"~*(^Mozilla/5\\.0 .*)\"", "KEY", "~*(^Mozilla/5\\.0 .*)")]
    [InlineData("KEY=\"quoted\" # trailing comment", "KEY", "quoted")]
    [InlineData("KEY=\"quoted\"#comment", "KEY", "quoted")]
    [InlineData("KEY='quoted'   # trailing comment", "KEY", "quoted")]
    [InlineData("KEY=unquoted # trailing comment", "KEY", "unquoted")]
    [InlineData("KEY=unquoted\t# trailing comment", "KEY", "unquoted")]
    [InlineData("KEY=a#b", "KEY", "a#b")]
    [InlineData("KEY=#leading-hash", "KEY", "#leading-hash")]
    [InlineData("KEY= # only a comment", "KEY", "")]
    [InlineData("KEY=a=b=c", "KEY", "a=b=c")]
    [InlineData("KEY=\"a=b\"", "KEY", "a=b")]
    [InlineData("KEY=", "KEY", "")]
    [InlineData("KEY=\"\"", "KEY", "")]
    [InlineData("KEY=''", "KEY", "")]
    [InlineData("KEY=trailing spaces   ", "KEY", "trailing spaces")]
    [InlineData("KEY=35.161.238.252|35.166.68.236", "KEY", "35.161.238.252|35.166.68.236")]
    [InlineData("_KEY_2=x", "_KEY_2", "x")]
    public void Parse_ValidLine_GivesKeyAndValue(string line, string key, string value)
    {
        var (entries, errors) = Parse(line);

        Assert.Empty(errors);
        var entry = Assert.Single(entries);
        Assert.Equal(key, entry.Key);
        Assert.Equal(value, entry.Value);
        Assert.Equal(new EnvOrigin(Source, 1), entry.Origin);
    }

    [Fact]
    public void Parse_CommentsAndBlankLines_AreSkippedAndLinesCounted()
    {
        var text = "# comment\n\n   \n\t# indented comment\nA=1\n   # another\nB=2\n";

        var (entries, errors) = Parse(text);

        Assert.Empty(errors);
        Assert.Equal([("A", "1", 5), ("B", "2", 7)], entries.Select(e => (e.Key, e.Value, e.Origin.Line)));
    }

    [Fact]
    public void Parse_CrLfLineEndings_StrippedFromValuesAndLinesCounted()
    {
        var text = "# c\r\nA=one\r\nB=\"two\"\r\nC='three'\r\n\r\nD=four # c\r\n";

        var (entries, errors) = Parse(text);

        Assert.Empty(errors);
        Assert.Equal([("A", "one", 2), ("B", "two", 3), ("C", "three", 4), ("D", "four", 6)], entries.Select(e => (e.Key, e.Value, e.Origin.Line)));
    }

    [Fact]
    public void Parse_ByteOrderMark_IsNotPartOfTheFirstKey()
    {
        var (entries, errors) = Parse("\uFEFFFIRST=1\nSECOND=2");

        Assert.Empty(errors);
        Assert.Equal(["FIRST", "SECOND"], entries.Select(e => e.Key));
    }

    [Theory]
    [InlineData("BASE=/opt\nKEY=${BASE}/ssl", "/opt/ssl")]
    [InlineData("BASE=/opt\nKEY=\"${BASE}/ssl\"", "/opt/ssl")]
    [InlineData("BASE=/opt\nKEY='${BASE}/ssl'", "${BASE}/ssl")]
    [InlineData("A=x\nB=y\nKEY=${A}-${B}-${A}", "x-y-x")]
    [InlineData("BASE=first\nBASE=second\nKEY=${BASE}", "second")]
    [InlineData("KEY=${FROM_LOOKUP}/ssl", "/lookup/ssl")]
    [InlineData("FROM_LOOKUP=/local\nKEY=${FROM_LOOKUP}", "/local")]
    [InlineData("KEY=${UNDEFINED:-fallback}", "fallback")]
    [InlineData("KEY=${UNDEFINED:-}", "")]
    [InlineData("EMPTY=\nKEY=${EMPTY:-fallback}", "fallback")]
    [InlineData("SET=value\nKEY=${SET:-fallback}", "value")]
    [InlineData("KEY=${FROM_LOOKUP:-fallback}", "/lookup")]
    [InlineData("KEY=\"${UNDEFINED:-a b}\"", "a b")]
    [InlineData("KEY=$NOT_A_REFERENCE", "$NOT_A_REFERENCE")]
    [InlineData("KEY=price$", "price$")]
    public void Parse_Interpolation_ResolvesEarlierLinesThenLookup(string text, string expected)
    {
        var (entries, errors) = Parse(text, new Dictionary<string, string> { ["FROM_LOOKUP"] = "/lookup" });

        Assert.Empty(errors);
        Assert.Equal(expected, entries.Single(e => e.Key == "KEY").Value);
    }

    [Fact]
    public void Parse_ReferenceToLaterLine_IsNotDefined()
    {
        var (_, errors) = Parse("KEY=${LATER}\nLATER=x");

        var error = Assert.Single(errors);
        Assert.Equal("/etc/edgeproxy/test.env:1: KEY: ${LATER} is not defined earlier in the env files nor in the process environment", error.ToString());
    }

    [Theory]
    [InlineData("KEY=${UNDEFINED}", "KEY", "${UNDEFINED} is not defined earlier in the env files nor in the process environment")]
    [InlineData("KEY=\"${UNDEFINED}/x\"", "KEY", "${UNDEFINED} is not defined earlier in the env files nor in the process environment")]
    [InlineData("KEY=${UNCLOSED", "KEY", "unterminated '${' (expected ${NAME})")]
    [InlineData("KEY=${1BAD}", "KEY", "'${1BAD}' is not a valid reference (expected ${NAME} or ${NAME:-default})")]
    [InlineData("KEY=${}", "KEY", "'${}' is not a valid reference (expected ${NAME} or ${NAME:-default})")]
    [InlineData("KEY=\"unterminated", "KEY", "unterminated double quote (values cannot span lines)")]
    [InlineData("KEY=\"ends in escaped quote\\\"", "KEY", "unterminated double quote (values cannot span lines)")]
    [InlineData("KEY='unterminated", "KEY", "unterminated single quote (values cannot span lines)")]
    [InlineData("KEY=\"quoted\"trailing", "KEY", "unexpected text after the closing quote: 'trailing'")]
    [InlineData("KEY='quoted' trailing", "KEY", "unexpected text after the closing quote: 'trailing'")]
    [InlineData("KEY=\"a\" \"b\"", "KEY", "unexpected text after the closing quote: '\"b\"'")]
    [InlineData("just some words", null, "expected KEY=VALUE, found 'just some words'")]
    [InlineData("export", null, "expected KEY=VALUE, found 'export'")]
    [InlineData("export KEY", null, "expected KEY=VALUE, found 'KEY'")]
    [InlineData("=value", null, "'' is not a valid key (letters, digits and '_', not starting with a digit)")]
    [InlineData("1KEY=value", null, "'1KEY' is not a valid key (letters, digits and '_', not starting with a digit)")]
    [InlineData("MY-KEY=value", null, "'MY-KEY' is not a valid key (letters, digits and '_', not starting with a digit)")]
    [InlineData("MY KEY=value", null, "'MY KEY' is not a valid key (letters, digits and '_', not starting with a digit)")]
    [InlineData("KÉY=value", null, "'KÉY' is not a valid key (letters, digits and '_', not starting with a digit)")]
    public void Parse_InvalidLine_ReportsFileLineKeyAndMessage(string line, string? key, string message)
    {
        var (entries, errors) = Parse("# header\n" + line + "\n");

        Assert.Empty(entries);
        var error = Assert.Single(errors);
        Assert.Equal(new EnvOrigin(Source, 2), error.Origin);
        Assert.Equal(key, error.Key);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_LongGarbage_IsTruncatedInTheMessage()
    {
        var (_, errors) = Parse(new string('x', 100));

        Assert.Equal("expected KEY=VALUE, found '" + new string('x', 57) + "...'", Assert.Single(errors).Message);
    }

    [Fact]
    public void Parse_SeveralErrors_AllReportedWithTheirLinesAndGoodLinesKept()
    {
        var text = """
            GOOD1=1
            no equals sign here
            BAD="unterminated
            GOOD2=${GOOD1}2
            9BAD=x
            REF=${MISSING}
            AFTER='x' y
            GOOD3=3
            """;

        var (entries, errors) = Parse(text);

        Assert.Equal([("GOOD1", "1"), ("GOOD2", "12"), ("GOOD3", "3")], entries.Select(e => (e.Key, e.Value)));
        Assert.Equal(
            [
                (2, (string?)null),
                (3, "BAD"),
                (5, null),
                (6, "REF"),
                (7, "AFTER"),
            ],
            errors.Select(e => (e.Origin!.Value.Line, e.Key)));
        Assert.All(errors, e => Assert.Equal(Source, e.Origin!.Value.Source));
    }

    [Fact]
    public void Parse_FailedAssignment_IsNotVisibleToLaterReferences()
    {
        var (entries, errors) = Parse("A=\"broken\nB=${A:-default}");

        Assert.Single(errors);
        Assert.Equal("default", Assert.Single(entries).Value);
    }

    [Theory]
    [InlineData("KEY", true)]
    [InlineData("_KEY", true)]
    [InlineData("key_lower_9", true)]
    [InlineData("", false)]
    [InlineData("9KEY", false)]
    [InlineData("KEY-X", false)]
    [InlineData("KEY.X", false)]
    [InlineData("KEY X", false)]
    public void IsValidKey_Name_Expected(string key, bool expected) => Assert.Equal(expected, EnvFileParser.IsValidKey(key));
}
