using EdgeProxy.Configuration;
using EdgeProxy.Tests.Support;

namespace EdgeProxy.Tests.Configuration;

public sealed class EnvLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static EnvSet Load(IReadOnlyList<string> files, IReadOnlyList<string> directories, IReadOnlyDictionary<string, string>? environment = null) =>
        EnvLoader.Load(new EnvSources(files, directories), environment ?? TestEnv.NoProcessEnvironment);

    [Fact]
    public void Load_EnvFilesThenDirectoriesThenEnvironment_LaterWins()
    {
        var first = _dir.Write("first.env", "NGX_PRXY_CLOUDCONNECT_PORT=1001\nNGX_PRXY_STATUS_PORT=2001\nNGX_CLOUDCONNECT_UPSTREAM_KEEPALIVE=3001\nNGX_KEEPALIVE_REQUESTS=4001\nNGX_HTTP2_MAX_CONCURRENT_STREAMS=5001\n");
        var second = _dir.Write("second.env", "NGX_PRXY_STATUS_PORT=2002\nNGX_CLOUDCONNECT_UPSTREAM_KEEPALIVE=3002\nNGX_KEEPALIVE_REQUESTS=4002\nNGX_HTTP2_MAX_CONCURRENT_STREAMS=5002\n");
        // Names chosen so that name order differs from creation order and from the order of --env.
        _dir.Write("d/b.env", "NGX_KEEPALIVE_REQUESTS=4004\nNGX_HTTP2_MAX_CONCURRENT_STREAMS=5004\n");
        _dir.Write("d/a.env", "NGX_CLOUDCONNECT_UPSTREAM_KEEPALIVE=3003\nNGX_KEEPALIVE_REQUESTS=4003\nNGX_HTTP2_MAX_CONCURRENT_STREAMS=5003\n");
        var directory = Path.Combine(_dir.Path, "d");
        var environment = new Dictionary<string, string> { ["NGX_HTTP2_MAX_CONCURRENT_STREAMS"] = "5005" };

        // The directory is named before the files on purpose: files always come first.
        var env = EnvLoader.Load(new EnvSources([first, second], [directory]), environment);

        Assert.Empty(env.Errors);
        Assert.Equal(("1001", new EnvOrigin(first, 1)), Value(env, "NGX_PRXY_CLOUDCONNECT_PORT"));
        Assert.Equal(("2002", new EnvOrigin(second, 1)), Value(env, "NGX_PRXY_STATUS_PORT"));
        Assert.Equal(("3003", new EnvOrigin(Path.Combine(directory, "a.env"), 1)), Value(env, "NGX_CLOUDCONNECT_UPSTREAM_KEEPALIVE"));
        Assert.Equal(("4004", new EnvOrigin(Path.Combine(directory, "b.env"), 1)), Value(env, "NGX_KEEPALIVE_REQUESTS"));
        Assert.Equal(("5005", EnvOrigin.Environment), Value(env, "NGX_HTTP2_MAX_CONCURRENT_STREAMS"));
        Assert.Equal([first, second, Path.Combine(directory, "a.env"), Path.Combine(directory, "b.env")], env.FilesRead);
    }

    [Fact]
    public void Load_SeveralDirectories_ReadInCommandLineOrderEachInNameOrder()
    {
        _dir.Write("one/z.env", "NGX_KEEPALIVE_REQUESTS=1");
        _dir.Write("two/a.env", "NGX_KEEPALIVE_REQUESTS=2");
        var one = Path.Combine(_dir.Path, "one");
        var two = Path.Combine(_dir.Path, "two");

        var env = Load([], [one, two]);

        Assert.Equal("2", env.Values["NGX_KEEPALIVE_REQUESTS"].Value);
        Assert.Equal([Path.Combine(one, "z.env"), Path.Combine(two, "a.env")], env.FilesRead);
    }

    [Fact]
    public void Load_Directory_ReadsOnlyDotEnvFiles()
    {
        _dir.Write("d/a.env", "NGX_KEEPALIVE_REQUESTS=1");
        _dir.Write("d/b.env.bak", "NGX_KEEPALIVE_REQUESTS=2");
        _dir.Write("d/c.envx", "NGX_KEEPALIVE_REQUESTS=3");
        _dir.Write("d/README.md", "not an env file");
        var directory = Path.Combine(_dir.Path, "d");

        var env = Load([], [directory]);

        Assert.Empty(env.Errors);
        Assert.Equal("1", env.Values["NGX_KEEPALIVE_REQUESTS"].Value);
        Assert.Equal([Path.Combine(directory, "a.env")], env.FilesRead);
    }

    [Fact]
    public void Load_EnvironmentVariables_OnlyKnownAndEdgeProxyKeysTaken()
    {
        var file = _dir.Write("a.env", "NGX_KEEPALIVE_REQUESTS=1");
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/bin",
            ["HOME"] = "/root",
            ["NGX_SOMETHING_ELSE"] = "x",
            ["EDGEPROXY_LOG_FORMAT"] = "text",
        };

        var env = Load([file], [], environment);

        Assert.Empty(env.Errors);
        Assert.Equal(["EDGEPROXY_LOG_FORMAT", "NGX_KEEPALIVE_REQUESTS"], env.Values.Keys.Order());
        Assert.Empty(env.Notices);
    }

    [Fact]
    public void Load_UnknownCiscoKeys_OneInfoNoticeListingThemSorted()
    {
        var a = _dir.Write("a.env", "NGX_ZETA=1\nNGX_ALPHA=2\nNGX_KEEPALIVE_REQUESTS=3\nCONTAINER_NAME=x\n");
        var b = _dir.Write("b.env", "NGX_ALPHA=again\nNGX_MIDDLE=3\n");

        var env = Load([a, b], []);

        Assert.Empty(env.Errors);
        var notice = Assert.Single(env.Notices);
        Assert.False(notice.IsWarning);
        Assert.Equal("info: ignored 4 key(s) EdgeProxy does not use: CONTAINER_NAME, NGX_ALPHA, NGX_MIDDLE, NGX_ZETA", notice.ToString());
        Assert.False(env.Values.ContainsKey("NGX_ALPHA"));
    }

    [Fact]
    public void Load_TemplateTypeCloudConnect_NotReportedAsIgnored()
    {
        var file = _dir.Write("a.env", "TEMPLATE_TYPE=\"cloudconnect\"\nNGX_KEEPALIVE_REQUESTS=3\n");

        var env = Load([file], []);

        Assert.Empty(env.Errors);
        Assert.Empty(env.Notices);
        Assert.Equal([file], env.FilesRead);
    }

    [Fact]
    public void Load_UnknownEdgeProxyKeyInFile_ErrorWithDidYouMean()
    {
        var file = _dir.Write("a.env", "# comment\nEDGEPROXY_LOG_FROMAT=json\n");

        var env = Load([file], []);

        var error = Assert.Single(env.Errors);
        Assert.Equal($"{file}:2: EDGEPROXY_LOG_FROMAT: unknown EdgeProxy key; did you mean EDGEPROXY_LOG_FORMAT?", error.ToString());
        Assert.Equal(new EnvOrigin(file, 2), error.Origin);
        Assert.Equal("EDGEPROXY_LOG_FROMAT", error.Key);
        Assert.Empty(env.Notices);
    }

    [Theory]
    [InlineData("ngx_cloudconnect_client_ips", "NGX_CLOUDCONNECT_CLIENT_IPS")]
    [InlineData("Edgeproxy_Log_Format", "EDGEPROXY_LOG_FORMAT")]
    [InlineData("EDGEPROXY_log_format", "EDGEPROXY_LOG_FORMAT")]
    [InlineData("Ngx_Prxy_Status_Ip", "NGX_PRXY_STATUS_IP")]
    [InlineData("ngx_limit_req_dry_run", "NGX_LIMIT_REQ_DRY_RUN")]
    public void Load_KnownKeyInOtherCase_ErrorNamingTheRightSpelling(string key, string spelling)
    {
        var file = _dir.Write("a.env", $"# comment\n{key}=1\n");

        var env = Load([file], []);

        var error = Assert.Single(env.Errors);
        Assert.Equal($"{file}:2: {key}: unknown key; did you mean {spelling}? (keys are case-sensitive)", error.ToString());
        Assert.Empty(env.Values);
        Assert.Empty(env.Notices);
    }

    [Fact]
    public void Load_KnownKeyInOtherCaseInEnvironment_ErrorNamingTheRightSpelling()
    {
        var environment = new Dictionary<string, string> { ["ngx_err_log_level"] = "debug", ["path"] = "/usr/bin" };

        var env = Load([], [], environment);

        Assert.Equal("environment: ngx_err_log_level: unknown key; did you mean NGX_ERR_LOG_LEVEL? (keys are case-sensitive)", Assert.Single(env.Errors).ToString());
    }

    [Fact]
    public void Load_UnknownLowerCaseKeys_IgnoredAsBefore()
    {
        var file = _dir.Write("a.env", "ngx_something_else=1\nngx_cloudconnect_client_ip=2\n");

        var env = Load([file], []);

        Assert.Empty(env.Errors);
        Assert.Equal("info: ignored 2 key(s) EdgeProxy does not use: ngx_cloudconnect_client_ip, ngx_something_else", Assert.Single(env.Notices).ToString());
    }

    [Fact]
    public void Load_UnknownEdgeProxyKeyInEnvironment_ErrorWithDidYouMean()
    {
        var environment = new Dictionary<string, string> { ["EDGEPROXY_TRACKING_HEADR"] = "X-Id" };

        var env = Load([], [], environment);

        var error = Assert.Single(env.Errors);
        Assert.Equal("environment: EDGEPROXY_TRACKING_HEADR: unknown EdgeProxy key; did you mean EDGEPROXY_TRACKING_HEADER?", error.ToString());
        Assert.Equal(EnvOrigin.Environment, error.Origin);
    }

    [Fact]
    public void Load_UnknownEdgeProxyKeyFarFromAnyKnownKey_ErrorWithoutSuggestion()
    {
        var file = _dir.Write("a.env", "EDGEPROXY_ENABLE_QUANTUM_ROUTING=yes\n");

        var env = Load([file], []);

        Assert.Equal($"{file}:1: EDGEPROXY_ENABLE_QUANTUM_ROUTING: unknown EdgeProxy key", Assert.Single(env.Errors).ToString());
    }

    [Fact]
    public void Load_OtherTemplateType_FileIgnoredWithWarningAndItsErrorsNotReported()
    {
        var cloudConnect = _dir.Write("a.env", "NGX_KEEPALIVE_REQUESTS=1\n");
        var finesse = _dir.Write("b.env", "TEMPLATE_TYPE=\"finesse\"\nthis line is not KEY=VALUE syntax\nNGX_KEEPALIVE_REQUESTS=2\nEDGEPROXY_NOT_A_KEY=1\nNGX_FIN_ONLY=3\nREF=${UNDEFINED}\n");

        var env = Load([cloudConnect, finesse], []);

        Assert.Empty(env.Errors);
        Assert.Equal("1", env.Values["NGX_KEEPALIVE_REQUESTS"].Value);
        var notice = Assert.Single(env.Notices);
        Assert.Equal($"warning: {finesse}: TEMPLATE_TYPE=finesse is not a Cloud Connect component file; ignored", notice.ToString());
        Assert.True(notice.IsWarning);
        Assert.Equal([cloudConnect], env.FilesRead);
    }

    [Theory]
    [InlineData("TEMPLATE_TYPE=cloudconnect")]
    [InlineData("TEMPLATE_TYPE='CloudConnect'")]
    [InlineData("# no template type at all")]
    public void Load_CloudConnectOrNoTemplateType_FileUsed(string templateLine)
    {
        var file = _dir.Write("a.env", templateLine + "\nNGX_KEEPALIVE_REQUESTS=7\n");

        var env = Load([file], []);

        Assert.Empty(env.Notices);
        Assert.Equal("7", env.Values["NGX_KEEPALIVE_REQUESTS"].Value);
    }

    [Fact]
    public void Load_IgnoredComponentFile_DefinitionsNotUsedForInterpolation()
    {
        var a = _dir.Write("a.env", "NGX_SSL_CRT=${ONLY_IN_FINESSE}/x.crt\n");
        var b = _dir.Write("b.env", "TEMPLATE_TYPE=finesse\nONLY_IN_FINESSE=/finesse\n");

        var env = Load([a, b], []);

        var error = Assert.Single(env.Errors);
        Assert.Equal($"{a}:1: NGX_SSL_CRT: ${{ONLY_IN_FINESSE}} is not defined earlier in the env files nor in the process environment", error.ToString());
    }

    [Fact]
    public void Load_FileWithBomAndCrLf_ParsedWithLineNumbers()
    {
        var path = Path.Combine(_dir.Path, "windows.env");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "NGX_KEEPALIVE_REQUESTS=\"7\"\r\n# c\r\nNGX_ERR_LOG_LEVEL=warn\r\n"u8]);

        var env = Load([path], []);

        Assert.Empty(env.Errors);
        Assert.Equal(("7", new EnvOrigin(path, 1)), Value(env, "NGX_KEEPALIVE_REQUESTS"));
        Assert.Equal(("warn", new EnvOrigin(path, 3)), Value(env, "NGX_ERR_LOG_LEVEL"));
    }

    [Fact]
    public void Load_MissingFile_Error()
    {
        var missing = Path.Combine(_dir.Path, "missing.env");

        var env = Load([missing], []);

        Assert.Equal($"{missing}: env file not found", Assert.Single(env.Errors).ToString());
    }

    [Fact]
    public void Load_MissingDirectory_Error()
    {
        var missing = Path.Combine(_dir.Path, "missing-dir");

        var env = Load([], [missing]);

        Assert.Equal($"{missing}: env directory not found", Assert.Single(env.Errors).ToString());
    }

    [Fact]
    public void Load_DirectoryWithoutEnvFiles_Error()
    {
        var empty = _dir.CreateDirectory("empty");
        _dir.Write("empty/notes.txt", "NGX_KEEPALIVE_REQUESTS=1");

        var env = Load([], [empty]);

        Assert.Equal($"{empty}: env directory has no *.env file", Assert.Single(env.Errors).ToString());
    }

    [Fact]
    public void Load_SeveralSourceProblems_AllReported()
    {
        var missingFile = Path.Combine(_dir.Path, "missing.env");
        var missingDir = Path.Combine(_dir.Path, "missing-dir");
        var bad = _dir.Write("bad.env", "NO_EQUALS\nEDGEPROXY_LOG_FROMAT=text\n");

        var env = Load([missingFile, bad], [missingDir]);

        Assert.Equal(
            [
                $"{missingFile}: env file not found",
                $"{missingDir}: env directory not found",
                $"{bad}:1: expected KEY=VALUE, found 'NO_EQUALS'",
                $"{bad}:2: EDGEPROXY_LOG_FROMAT: unknown EdgeProxy key; did you mean EDGEPROXY_LOG_FORMAT?",
            ],
            env.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Load_DuplicateKeyInOneFile_WarningNamesBothLinesAndLaterWins()
    {
        var file = _dir.Write("a.env", "NGX_KEEPALIVE_REQUESTS=1\n# comment\nNGX_KEEPALIVE_REQUESTS=2\n");

        var env = Load([file], []);

        Assert.Empty(env.Errors);
        var notice = Assert.Single(env.Notices);
        Assert.Equal($"warning: {file}:3: NGX_KEEPALIVE_REQUESTS is also set at line 1; the later value wins", notice.ToString());
        Assert.Equal(("2", new EnvOrigin(file, 3)), Value(env, "NGX_KEEPALIVE_REQUESTS"));
    }

    [Fact]
    public void Load_SameKeyInTwoFiles_NoDuplicateWarning()
    {
        var a = _dir.Write("a.env", "NGX_KEEPALIVE_REQUESTS=1\n");
        var b = _dir.Write("b.env", "NGX_KEEPALIVE_REQUESTS=2\n");

        var env = Load([a, b], []);

        Assert.Empty(env.Notices);
        Assert.Equal(("2", new EnvOrigin(b, 1)), Value(env, "NGX_KEEPALIVE_REQUESTS"));
    }

    [Fact]
    public void Load_ReferenceToEarlierFile_Resolves()
    {
        var a = _dir.Write("a.env", "SSL_DIR=/etc/ssl\n");
        var b = _dir.Write("b.env", "NGX_SSL_CRT=${SSL_DIR}/proxy.crt\n");

        var env = Load([a, b], []);

        Assert.Empty(env.Errors);
        Assert.Equal("/etc/ssl/proxy.crt", env.Values["NGX_SSL_CRT"].Value);
    }

    [Fact]
    public void Load_ReferenceToLaterFile_Resolves()
    {
        _dir.Write("d/cloudconnect.env", "NGX_SSL_CRT=\"${NGX_SSL_DIR}/reverseproxy.crt\"\n");
        _dir.Write("d/dirs.env", "NGX_HOME=\"/usr/local/openresty/nginx\"\nNGX_SSL_DIR=\"${NGX_HOME}/ssl\"\n");

        var env = Load([], [Path.Combine(_dir.Path, "d")]);

        Assert.Empty(env.Errors);
        Assert.Equal("/usr/local/openresty/nginx/ssl/reverseproxy.crt", env.Values["NGX_SSL_CRT"].Value);
        Assert.Equal(new EnvOrigin(Path.Combine(_dir.Path, "d", "cloudconnect.env"), 1), env.Values["NGX_SSL_CRT"].Origin);
    }

    [Fact]
    public void Load_ChainOfReferencesToLaterFiles_Resolves()
    {
        var a = _dir.Write("a.env", "NGX_SSL_CRT=${B}/a\n");
        var b = _dir.Write("b.env", "B=${C}/b\n");
        var c = _dir.Write("c.env", "C=/c\n");

        var env = Load([a, b, c], []);

        Assert.Empty(env.Errors);
        Assert.Equal("/c/b/a", env.Values["NGX_SSL_CRT"].Value);
    }

    [Fact]
    public void Load_ReferenceToEnvironment_Resolves()
    {
        var file = _dir.Write("a.env", "NGX_SSL_CRT=${CERT_DIR}/proxy.crt\n");

        var env = Load([file], [], new Dictionary<string, string> { ["CERT_DIR"] = "/run/secrets" });

        Assert.Empty(env.Errors);
        Assert.Equal("/run/secrets/proxy.crt", env.Values["NGX_SSL_CRT"].Value);
    }

    [Fact]
    public void Load_ReferenceDefinedNowhere_ErrorWithFileAndLine()
    {
        var file = _dir.Write("a.env", "\n\nNGX_SSL_CRT=${NOWHERE}/proxy.crt\n");

        var env = Load([file], []);

        Assert.Equal($"{file}:3: NGX_SSL_CRT: ${{NOWHERE}} is not defined earlier in the env files nor in the process environment", Assert.Single(env.Errors).ToString());
        Assert.False(env.Values.ContainsKey("NGX_SSL_CRT"));
    }

    [Fact]
    public void Load_SyntaxErrorsInSeveralFiles_AllReportedWithTheirFile()
    {
        var a = _dir.Write("a.env", "GOOD=1\nBAD='x\n");
        var b = _dir.Write("b.env", "ALSO BAD\nNGX_KEEPALIVE_REQUESTS=9\n");

        var env = Load([a, b], []);

        Assert.Equal([new EnvOrigin(a, 2), new EnvOrigin(b, 1)], env.Errors.Select(e => e.Origin!.Value));
        Assert.Equal("9", env.Values["NGX_KEEPALIVE_REQUESTS"].Value);
    }

    private static (string Value, EnvOrigin Origin) Value(EnvSet env, string key) => (env.Values[key].Value, env.Values[key].Origin);
}
