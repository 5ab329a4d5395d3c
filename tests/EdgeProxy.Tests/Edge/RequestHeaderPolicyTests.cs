using EdgeProxy.Edge;
using Microsoft.AspNetCore.Http;

namespace EdgeProxy.Tests.Edge;

public sealed class RequestHeaderPolicyTests
{
    [Theory]
    [InlineData("X-Forwarded-For")]
    [InlineData("x-forwarded-proto")]
    [InlineData("X-FORWARDED-SSL")]
    [InlineData("X-Forwarded-Whatever-Comes-Next")]
    [InlineData("Forwarded")]
    [InlineData("Forwarded-For")]
    [InlineData("X-Client-IP")]
    [InlineData("X-Client-Cert")]
    [InlineData("x-client-anything")]
    [InlineData("X-Real-IP")]
    [InlineData("X-Original-URL")]
    [InlineData("X-Original-Host")]
    [InlineData("X-Rewrite-URL")]
    [InlineData("X-Originating-IP")]
    [InlineData("Client-IP")]
    [InlineData("True-Client-IP")]
    [InlineData("CF-Connecting-IP")]
    [InlineData("X-Cluster-Client-IP")]
    [InlineData("X_Forwarded_For")]
    [InlineData("Any_Name")]
    [InlineData("_")]
    [InlineData("Upgrade")]
    [InlineData("upgrade")]
    public void IsStripped_ConnectionDescribingOrUnderscoredName_True(string name) =>
        Assert.True(RequestHeaderPolicy.IsStripped(name));

    [Theory]
    [InlineData("TrackingID")]
    [InlineData("Content-Type")]
    [InlineData("Accept")]
    [InlineData("Authorization")]
    [InlineData("User-Agent")]
    [InlineData("X-Request-Id")]
    [InlineData("X-Forwarded")] // not a prefix match: no trailing dash
    [InlineData("Forward")]
    public void IsStripped_OrdinaryName_False(string name) =>
        Assert.False(RequestHeaderPolicy.IsStripped(name));

    [Theory]
    [InlineData("\u0001")]
    [InlineData("\u0008")]
    [InlineData("\u000b")]
    [InlineData("\u001b")]
    [InlineData("\u001f")]
    [InlineData("\u007f")]
    [InlineData("\r")]
    [InlineData("\n")]
    [InlineData("\0")]
    public void FindControlCharacter_ValueWithControl_NamesTheHeader(string control)
    {
        var headers = new HeaderDictionary { ["Accept"] = "application/json", ["X-Note"] = new(["fine", "a" + control + "b"]) };

        Assert.Equal("X-Note", RequestHeaderPolicy.FindControlCharacter(headers));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("with\ttab")]
    [InlineData("")]
    [InlineData("caf\u00e9")] // obs-text is not a control character
    public void FindControlCharacter_CleanValues_Null(string value) =>
        Assert.Null(RequestHeaderPolicy.FindControlCharacter(new HeaderDictionary { ["X-Note"] = value }));
}
