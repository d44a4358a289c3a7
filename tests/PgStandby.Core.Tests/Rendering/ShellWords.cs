using System.Text;

namespace PgStandby.Core.Tests.Rendering;

/// <summary>
/// Splits a command line into words as a POSIX shell would, for lines made of plain words and single- or
/// double-quoted parts only; any unquoted character a shell would act on (; | &amp; $ ` ( ) &lt; &gt; * ? [ ~ # \) throws.
/// </summary>
internal static class ShellWords
{
    private const string Special = ";|&$`()<>*?[~#\\!{}";

    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c is ' ' or '\t')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else if (c == '\'')
            {
                var close = line.IndexOf('\'', i + 1);
                if (close < 0)
                {
                    throw new FormatException("unterminated single quote");
                }

                word.Append(line, i + 1, close - i - 1);
                i = close;
                inWord = true;
            }
            else if (c == '"')
            {
                var close = line.IndexOf('"', i + 1);
                var inner = close < 0 ? throw new FormatException("unterminated double quote") : line[(i + 1)..close];
                if (inner.IndexOfAny(['$', '`', '\\']) >= 0)
                {
                    throw new FormatException($"expansion inside double quotes: {inner}");
                }

                word.Append(inner);
                i = close;
                inWord = true;
            }
            else if (Special.Contains(c, StringComparison.Ordinal) || c == '\n')
            {
                throw new FormatException($"unquoted shell character '{c}' in: {line}");
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
