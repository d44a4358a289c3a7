using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace PgStandby.Core.Configuration;

/// <summary>
/// Reads environment variables into typed values. A bad value is recorded as a problem that names
/// the variable and what it expects, and the default is kept, so every problem is reported at once.
/// </summary>
internal sealed partial class EnvironmentValues(IConfiguration configuration, IList<string> problems)
{
    public const int MaxSecretLength = 1024;

    public string? Raw(string name)
    {
        var value = configuration[name];
        return string.IsNullOrEmpty(value) ? null : value;
    }

    public bool IsSet(string name) => Raw(name) is not null;

    /// <summary>Records a problem found by a rule of the caller's own.</summary>
    public void Problem(string message) => problems.Add(message);

    /// <summary>How many problems have been recorded so far, to tell whether a value just read was accepted.</summary>
    public int ProblemCount => problems.Count;

    public string Required(string name, string expects)
    {
        var value = Raw(name);
        if (value is null)
        {
            problems.Add($"{name} is required: set it to {expects}.");
            return string.Empty;
        }

        return value;
    }

    public int Integer(string name, int fallback, int min, int max)
    {
        var value = Raw(name);
        if (value is null)
        {
            return fallback;
        }

        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            && parsed >= min && parsed <= max)
        {
            return parsed;
        }

        problems.Add($"{name} must be a whole number from {min} to {max} (got '{Shown(value)}').");
        return fallback;
    }

    public TimeSpan Seconds(string name, TimeSpan fallback, int min, int max) =>
        TimeSpan.FromSeconds(Integer(name, (int)fallback.TotalSeconds, min, max));

    public string Host(string name, string fallback)
    {
        var value = Raw(name)?.Trim() ?? fallback;
        if (!IsHost(value))
        {
            problems.Add($"{name} must be a host name or an IP address (got '{Shown(value)}').");
        }

        return value;
    }

    public string Identifier(string name, string fallback, string expects)
    {
        var value = Raw(name)?.Trim() ?? fallback;
        if (!IdentifierPattern().IsMatch(value))
        {
            problems.Add($"{name} must be {expects} (got '{Shown(value)}').");
        }

        return value;
    }

    public string AbsolutePath(string name, string fallback)
    {
        var value = Raw(name)?.Trim() ?? fallback;
        if (!PathPattern().IsMatch(value) || value.Contains("/../", StringComparison.Ordinal) || value.EndsWith("/..", StringComparison.Ordinal))
        {
            problems.Add($"{name} must be an absolute path of letters, digits and . _ - + @ / only (got '{Shown(value)}').");
            return fallback;
        }

        return value.Length > 1 ? value.TrimEnd('/') : value;
    }

    public string? OptionalAbsolutePath(string name) => IsSet(name) ? AbsolutePath(name, "/") : null;

    /// <summary>An absolute path naming a file that exists (its content is read where it is used); null when unset.</summary>
    public string? OptionalExistingFile(string name, string holds)
    {
        var before = problems.Count;
        var path = OptionalAbsolutePath(name);
        if (path is not null && problems.Count == before && !File.Exists(path))
        {
            problems.Add($"{name} names {path}, which is not a file: name the file holding {holds}.");
        }

        return path;
    }

    /// <summary>A secret: validated without ever echoing its value.</summary>
    public string Secret(string name, string fallback)
    {
        var value = Raw(name) ?? fallback;
        if (!IsValidSecret(value))
        {
            problems.Add($"{name} must be at most {MaxSecretLength} characters with no line breaks or control characters (value not shown).");
        }

        return value;
    }

    /// <summary>One of a fixed set of words, compared exactly after trimming.</summary>
    /// <summary>true/false (also yes/no, on/off, 1/0), any case.</summary>
    public bool Boolean(string name, bool fallback)
    {
        var value = Raw(name)?.Trim().ToLowerInvariant();
        switch (value)
        {
            case null:
                return fallback;
            case "true" or "yes" or "on" or "1":
                return true;
            case "false" or "no" or "off" or "0":
                return false;
            default:
                problems.Add($"{name} must be true or false (got '{Shown(value)}').");
                return fallback;
        }
    }

    public string OneOf(string name, string fallback, IReadOnlyList<string> allowed)
    {
        var value = Raw(name)?.Trim() ?? fallback;
        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            problems.Add($"{name} must be one of {string.Join(", ", allowed)} (got '{Shown(value)}').");
            return fallback;
        }

        return value;
    }

    public string Printable(string name, string fallback, int maxLength)
    {
        var value = Raw(name) ?? fallback;
        if (value.Length > maxLength || value.Any(c => char.IsControl(c) || c > '~'))
        {
            problems.Add($"{name} must be at most {maxLength} printable ASCII characters (got '{Shown(value)}').");
        }

        return value;
    }

    internal static bool IsValidSecret(string value) => value.Length <= MaxSecretLength && !value.Any(char.IsControl);

    /// <summary>A host name or a plain IP address; IPv6 zone ids ("%eth0") are refused, they may carry any text.</summary>
    public static bool IsHost(string value) =>
        value.Length is > 0 and <= 253
        && ((value.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.') && IPAddress.TryParse(value, out _)) || HostNamePattern().IsMatch(value));

    /// <summary>Bad values are echoed shortened and without control characters, so logs stay one line.</summary>
    internal static string Shown(string value)
    {
        var clean = new string(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length > 60 ? string.Concat(clean.AsSpan(0, 60), "…") : clean;
    }

    [GeneratedRegex("^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\\.?$")]
    private static partial Regex HostNamePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]{0,62}$")]
    private static partial Regex IdentifierPattern();

    // README, Configuration: a path is at most 1000 characters.
    [GeneratedRegex("^/[A-Za-z0-9._/+@-]{0,999}$")]
    private static partial Regex PathPattern();
}
