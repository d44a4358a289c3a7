using System.Text;
using System.Text.RegularExpressions;

namespace PgStandby.Core.Tests.Rendering;

/// <summary>
/// Reads postgresql.conf as PostgreSQL 15's own lexer does (src/backend/utils/misc/guc-file.l and GUC_scanstr),
/// for ASCII names: a line is "name [=] value [# comment]", the value a quoted string or one bare token.
/// Anything else throws, so a rendered file that postgres would refuse fails the test.
/// </summary>
internal static partial class PostgresqlConfReader
{
    /// <summary>Every setting line in order; names lowercased as postgres compares them.</summary>
    public static List<KeyValuePair<string, string>> Read(string text)
    {
        var settings = new List<KeyValuePair<string, string>>();
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            var match = LinePattern().Match(line);
            if (!match.Success)
            {
                throw new FormatException($"postgresql.conf line {number} is not a setting postgres can read: {line}");
            }

            if (match.Groups["name"].Success)
            {
                var value = match.Groups["quoted"].Success ? Unescape(match.Groups["quoted"].Value) : match.Groups["bare"].Value;
                settings.Add(new(match.Groups["name"].Value.ToLowerInvariant(), value));
            }
        }

        return settings;
    }

    /// <summary>What postgres ends up with: the last line setting each name wins.</summary>
    public static Dictionary<string, string> Effective(string text)
    {
        var effective = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in Read(text))
        {
            effective[name] = value;
        }

        return effective;
    }

    /// <summary>GUC_scanstr: '' is ', backslash escapes b f n r t and octal digits, any other character stands for itself.</summary>
    private static string Unescape(string inner)
    {
        var text = new StringBuilder();
        for (var i = 0; i < inner.Length; i++)
        {
            var c = inner[i];
            if (c == '\'')
            {
                i++;
                text.Append('\'');
            }
            else if (c == '\\')
            {
                i++;
                var next = inner[i];
                switch (next)
                {
                    case 'b': text.Append('\b'); break;
                    case 'f': text.Append('\f'); break;
                    case 'n': text.Append('\n'); break;
                    case 'r': text.Append('\r'); break;
                    case 't': text.Append('\t'); break;
                    case >= '0' and <= '7':
                        var end = i;
                        while (end < inner.Length && end < i + 3 && inner[end] is >= '0' and <= '7')
                        {
                            end++;
                        }

                        text.Append((char)Convert.ToInt32(inner[i..end], 8));
                        i = end - 1;
                        break;
                    default: text.Append(next); break;
                }
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    // ID, QUALIFIED_ID; STRING \'([^'\\\n]|\\.|\'\')*\'; bare tokens: INTEGER, REAL, UNQUOTED_STRING (guc-file.l).
    [GeneratedRegex(@"^[ \t\r\f]*(?:(?<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)[ \t\r\f]*=?[ \t\r\f]*(?:'(?<quoted>(?:[^'\\\n]|\\.|'')*)'|(?<bare>[+-]?(?:[0-9]+|0x[0-9A-Fa-f]+)[A-Za-z]*|[+-]?[0-9]*\.[0-9]+(?:[Ee][+-]?[0-9]+)?|[A-Za-z_][A-Za-z0-9_\-.:/]*))[ \t\r\f]*)?(?:#.*)?$")]
    private static partial Regex LinePattern();
}
