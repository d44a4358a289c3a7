namespace PgStandby.Core.Rendering;

/// <summary>The replication password's only home on disk: a libpq passfile (mode 600) named in primary_conninfo.</summary>
public static class Passfile
{
    /// <summary>One line host:port:replication:user:password, with : and \ escaped as libpq expects.</summary>
    public static string Render(string host, int port, string user, string password) =>
        string.Join(':', Escape(host), port.ToString(System.Globalization.CultureInfo.InvariantCulture), "replication", Escape(user), Escape(password)) + "\n";

    private static string Escape(string field) =>
        field.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(":", "\\:", StringComparison.Ordinal);
}
