using System.Text;

namespace PgStandby.Core.Tests.Rendering;

/// <summary>Reads a keyword/value connection string as libpq 15's conninfo_parse does (fe-connect.c).</summary>
internal static class ConnInfoReader
{
    public static List<KeyValuePair<string, string>> Read(string conninfo)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var i = 0;
        while (true)
        {
            SkipSpaces(conninfo, ref i);
            if (i >= conninfo.Length)
            {
                return pairs;
            }

            var start = i;
            while (i < conninfo.Length && conninfo[i] != '=' && !IsSpace(conninfo[i]))
            {
                i++;
            }

            var keyword = conninfo[start..i];
            SkipSpaces(conninfo, ref i);
            if (i >= conninfo.Length || conninfo[i] != '=')
            {
                throw new FormatException($"missing \"=\" after \"{keyword}\" in connection info string");
            }

            i++;
            SkipSpaces(conninfo, ref i);
            pairs.Add(new(keyword, Value(conninfo, ref i)));
        }
    }

    private static string Value(string conninfo, ref int i)
    {
        var value = new StringBuilder();
        if (i < conninfo.Length && conninfo[i] == '\'')
        {
            i++;
            while (true)
            {
                if (i >= conninfo.Length)
                {
                    throw new FormatException("unterminated quoted string in connection info string");
                }

                var c = conninfo[i++];
                if (c == '\\')
                {
                    if (i < conninfo.Length)
                    {
                        value.Append(conninfo[i++]);
                    }
                }
                else if (c == '\'')
                {
                    return value.ToString();
                }
                else
                {
                    value.Append(c);
                }
            }
        }

        while (i < conninfo.Length && !IsSpace(conninfo[i]))
        {
            var c = conninfo[i++];
            if (c == '\\')
            {
                if (i < conninfo.Length)
                {
                    value.Append(conninfo[i++]);
                }
            }
            else
            {
                value.Append(c);
            }
        }

        return value.ToString();
    }

    private static void SkipSpaces(string text, ref int i)
    {
        while (i < text.Length && IsSpace(text[i]))
        {
            i++;
        }
    }

    // C isspace() in the C locale.
    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';
}
