namespace PgStandby.Core.Rendering;

/// <summary>
/// pg_hba.conf and pg_ident.conf for the standby. The worker's own local line comes first, so it can
/// always connect as postgres over the socket (even when it runs as root); the operator's PG_HBA rules follow
/// when set, else the backup's own rules when it has them, otherwise password (md5 or scram) connections
/// from the network are accepted (md5 accepts SCRAM too, and roles whose passwords are stored as MD5).
/// </summary>
public static class HbaRenderer
{
    public const string MapName = "pgstandby";

    public static string RenderHba(string? backupHba, IReadOnlyList<string>? operatorRules = null)
    {
        var lines = new List<string>
        {
            "# Rendered by pgstandby on every start.",
            "# The worker's own connection: postgres over the local socket (root or postgres OS user).",
            $"local   all   postgres   peer   map={MapName}",
        };
        if (operatorRules is not null)
        {
            lines.Add("# PG_HBA:");
            lines.AddRange(operatorRules);
        }
        else if (backupHba is not null)
        {
            lines.Add("# The backup's own pg_hba.conf:");
            lines.Add(backupHba.TrimEnd());
        }
        else
        {
            lines.AddRange(
            [
                "# The backup has no pg_hba.conf (Debian keeps it in /etc): local peer, password from the network.",
                "local   all   all                peer",
                "host    all   all   127.0.0.1/32   md5",
                "host    all   all   ::1/128        md5",
                "host    all   all   0.0.0.0/0      md5",
                "host    all   all   ::/0           md5",
            ]);
        }

        return string.Join('\n', lines) + "\n";
    }

    public static string RenderIdent(string? backupIdent)
    {
        var lines = new List<string>
        {
            "# Rendered by pgstandby on every start.",
            $"{MapName}   root       postgres",
            $"{MapName}   postgres   postgres",
        };
        if (backupIdent is not null)
        {
            lines.Add("# The backup's own pg_ident.conf:");
            lines.Add(backupIdent.TrimEnd());
        }

        return string.Join('\n', lines) + "\n";
    }
}
