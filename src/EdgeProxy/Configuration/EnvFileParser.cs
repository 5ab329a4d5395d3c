using System.Text;

namespace EdgeProxy.Configuration;

/// <summary>
/// Parses Cisco-style env files: <c>KEY=VALUE</c> lines, <c>#</c> comments, an optional <c>export </c>
/// prefix, single or double quotes and <c>${KEY}</c> interpolation.
/// Hand-written because Microsoft.Extensions.Configuration has no dotenv provider with line numbers.
/// </summary>
public static class EnvFileParser
{
    /// <summary>
    /// Parses <paramref name="text"/>. <paramref name="lookup"/> resolves <c>${KEY}</c> for keys not
    /// assigned earlier in this text. Problems are added to <paramref name="errors"/>; parsing goes on
    /// so that every problem is reported at once.
    /// </summary>
    public static List<EnvEntry> Parse(string source, string text, Func<string, string?> lookup, List<ConfigError> errors)
    {
        var entries = new List<EnvEntry>();
        var local = new Dictionary<string, string>(StringComparer.Ordinal);
        string? Resolve(string key) => local.TryGetValue(key, out var value) ? value : lookup(key);

        var lines = text.TrimStart('\uFEFF').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var origin = new EnvOrigin(source, i + 1);
            var line = lines[i].TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.StartsWith("export", StringComparison.Ordinal) && line.Length > 6 && char.IsWhiteSpace(line[6]))
            {
                line = line[6..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                errors.Add(new ConfigError(origin, null, $"expected KEY=VALUE, found '{Truncate(line)}'"));
                continue;
            }

            var key = line[..equals].TrimEnd();
            if (!IsValidKey(key))
            {
                errors.Add(new ConfigError(origin, null, $"'{Truncate(key)}' is not a valid key (letters, digits and '_', not starting with a digit)"));
                continue;
            }

            // "KEY= # comment" is an empty value, as in a shell; "KEY=#x" is the value "#x".
            var rawValue = line[(equals + 1)..];
            var valueText = rawValue.TrimStart();
            if (valueText.StartsWith('#') && valueText.Length < rawValue.Length)
            {
                valueText = "";
            }

            if (TryParseValue(valueText, Resolve, out var value, out var problem))
            {
                local[key] = value;
                entries.Add(new EnvEntry(key, value, origin));
            }
            else
            {
                errors.Add(new ConfigError(origin, key, problem));
            }
        }

        return entries;
    }

    internal static bool IsValidKey(string key)
    {
        if (key.Length == 0 || char.IsAsciiDigit(key[0]))
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParseValue(string raw, Func<string, string?> resolve, out string value, out string problem)
    {
        value = "";
        problem = "";
        if (raw.Length == 0)
        {
            return true;
        }

        if (raw[0] == '\'')
        {
            var end = raw.IndexOf('\'', 1);
            if (end < 0)
            {
                problem = "unterminated single quote (values cannot span lines)";
                return false;
            }

            value = raw[1..end];
            return CheckTrailing(raw[(end + 1)..], ref problem);
        }

        if (raw[0] == '"')
        {
            // An escaped '$' is literal, so interpolate the text between escaped dollars separately.
            var result = new StringBuilder();
            var pending = new StringBuilder();
            for (var i = 1; i < raw.Length; i++)
            {
                var c = raw[i];
                if (c == '\\' && i + 1 < raw.Length && raw[i + 1] is '"' or '\\' or '$')
                {
                    if (raw[++i] == '$')
                    {
                        if (!Interpolate(pending.ToString(), resolve, out var part, out problem))
                        {
                            return false;
                        }

                        result.Append(part).Append('$');
                        pending.Clear();
                    }
                    else
                    {
                        pending.Append(raw[i]);
                    }
                }
                else if (c == '"')
                {
                    if (!Interpolate(pending.ToString(), resolve, out var part, out problem))
                    {
                        return false;
                    }

                    value = result.Append(part).ToString();
                    return CheckTrailing(raw[(i + 1)..], ref problem);
                }
                else
                {
                    pending.Append(c);
                }
            }

            problem = "unterminated double quote (values cannot span lines)";
            return false;
        }

        // Unquoted: a '#' preceded by white space starts a comment, as in a shell.
        var text = raw;
        for (var i = 1; i < raw.Length; i++)
        {
            if (raw[i] == '#' && char.IsWhiteSpace(raw[i - 1]))
            {
                text = raw[..i];
                break;
            }
        }

        return Interpolate(text.TrimEnd(), resolve, out value, out problem);
    }

    private static bool CheckTrailing(string rest, ref string problem)
    {
        var trimmed = rest.TrimStart();
        if (trimmed.Length == 0 || trimmed[0] == '#')
        {
            return true;
        }

        problem = $"unexpected text after the closing quote: '{Truncate(trimmed)}'";
        return false;
    }

    private static bool Interpolate(string text, Func<string, string?> resolve, out string value, out string problem)
    {
        problem = "";
        if (!text.Contains("${", StringComparison.Ordinal))
        {
            value = text;
            return true;
        }

        var builder = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var start = text.IndexOf("${", i, StringComparison.Ordinal);
            if (start < 0)
            {
                builder.Append(text, i, text.Length - i);
                break;
            }

            builder.Append(text, i, start - i);
            var end = text.IndexOf('}', start + 2);
            if (end < 0)
            {
                value = "";
                problem = "unterminated '${' (expected ${NAME})";
                return false;
            }

            var expression = text[(start + 2)..end];
            var separator = expression.IndexOf(":-", StringComparison.Ordinal);
            var name = separator < 0 ? expression : expression[..separator];
            if (!IsValidKey(name))
            {
                value = "";
                problem = $"'${{{Truncate(expression)}}}' is not a valid reference (expected ${{NAME}} or ${{NAME:-default}})";
                return false;
            }

            var resolved = resolve(name);
            if (string.IsNullOrEmpty(resolved) && separator >= 0)
            {
                resolved = expression[(separator + 2)..];
            }

            if (resolved is null)
            {
                value = "";
                problem = $"${{{name}}} is not defined earlier in the env files nor in the process environment";
                return false;
            }

            builder.Append(resolved);
            i = end + 1;
        }

        value = builder.ToString();
        return true;
    }

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
