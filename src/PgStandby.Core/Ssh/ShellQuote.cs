namespace PgStandby.Core.Ssh;

/// <summary>The one function through which anything crosses a shell: POSIX single quoting.</summary>
public static class ShellQuote
{
    /// <summary>Quotes one argument so that any POSIX shell reads it back unchanged.</summary>
    public static string Quote(string argument) =>
        argument.Length > 0 && argument.All(IsSafe)
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Joins a program and its arguments into one command line for a remote shell.</summary>
    public static string Join(IEnumerable<string> arguments) => string.Join(' ', arguments.Select(Quote));

    private static bool IsSafe(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '=' or ':' or ',' or '@' or '+';
}
