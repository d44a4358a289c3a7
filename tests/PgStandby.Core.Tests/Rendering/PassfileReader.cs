namespace PgStandby.Core.Tests.Rendering;

/// <summary>Looks a password up in a passfile as libpq 15's passwordFromFile and pwdfMatchesString do (fe-connect.c).</summary>
internal static class PassfileReader
{
    public static string? Lookup(string passfile, string host, string port, string database, string user)
    {
        foreach (var raw in passfile.Split('\n'))
        {
            var line = raw.TrimEnd('\r', '\n');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var rest = Match(line, host);
            rest = rest is null ? null : Match(rest, port);
            rest = rest is null ? null : Match(rest, database);
            rest = rest is null ? null : Match(rest, user);
            if (rest is not null)
            {
                return Unescape(rest);
            }
        }

        return null;
    }

    /// <summary>pwdfMatchesString: the field (with \ escapes, or *) equals the token; returns what follows its ':'.</summary>
    private static string? Match(string line, string token)
    {
        if (line.StartsWith("*:", StringComparison.Ordinal))
        {
            return line[2..];
        }

        var t = 0;
        var escaped = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && !escaped)
            {
                i++;
                escaped = true;
                if (i >= line.Length)
                {
                    return null;
                }
            }

            if (line[i] == ':' && t == token.Length && !escaped)
            {
                return line[(i + 1)..];
            }

            escaped = false;
            if (t == token.Length || line[i] != token[t])
            {
                return null;
            }

            t++;
        }

        return null;
    }

    /// <summary>The password: up to the first unescaped ':', a backslash keeping the character after it.</summary>
    private static string Unescape(string rest)
    {
        var password = new System.Text.StringBuilder();
        for (var i = 0; i < rest.Length && rest[i] != ':'; i++)
        {
            if (rest[i] == '\\' && i + 1 < rest.Length)
            {
                i++;
            }

            password.Append(rest[i]);
        }

        return password.ToString();
    }
}
