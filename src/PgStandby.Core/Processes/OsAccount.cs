namespace PgStandby.Core.Processes;

/// <summary>The OS account the worker's children run as, read from /etc/passwd.</summary>
public sealed record OsAccount(string Name, int UserId, int GroupId, string Home)
{
    public const string PostgresName = "postgres";

    /// <summary>Whether this worker process runs as root and must switch to postgres for its children.</summary>
    public static bool WorkerIsRoot => Native.GetEffectiveUserId() == 0;

    public static OsAccount? Find(string name, string passwdPath = "/etc/passwd")
    {
        if (!File.Exists(passwdPath))
        {
            return null;
        }

        foreach (var line in File.ReadLines(passwdPath))
        {
            var fields = line.Split(':');
            if (fields.Length >= 6 && fields[0] == name
                && int.TryParse(fields[2], out var uid) && int.TryParse(fields[3], out var gid))
            {
                return new OsAccount(name, uid, gid, fields[5]);
            }
        }

        return null;
    }
}
