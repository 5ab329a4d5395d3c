namespace EdgeProxy.Configuration;

/// <summary>Parses and validates one raw env value; on failure <paramref name="error"/> says what would be valid.</summary>
public delegate bool ValueParser<T>(string value, out T result, out string error);
