using System.Text.Json;
using PgStandby.Core.Ssh;

namespace PgStandby.Core.Repository;

/// <summary>The parts of <c>pgbackrest info --output=json</c> the worker decides on.</summary>
public sealed record RepositoryInfo(int StatusCode, string StatusMessage, ulong? SystemId, string? PgVersion, int BackupCount, string? NewestBackup, long? NewestBackupSize)
{
    /// <summary>pgBackRest's info status codes: 0 ok, 1 missing stanza path, 2 no valid backups, 3 missing stanza data.</summary>
    public bool StanzaMissing => StatusCode is 1 or 3;

    public bool HasBackup => BackupCount > 0 && StatusCode is 0;

    /// <summary>
    /// What <c>pgbackrest version</c> answered on the primary, asked with info over the same SSH connection
    /// (a restore needs the same version on both sides); null when it was not asked.
    /// </summary>
    public RemoteResult? PrimaryVersion { get; init; }

    /// <summary>Every backup, oldest first, as info lists them.</summary>
    public IReadOnlyList<BackupEntry> Backups { get; init; } = [];

    /// <summary>The newest WAL segment of the current database's archive (its max: the highest name over all its timelines).</summary>
    public string? ArchiveNewest { get; init; }

    /// <exception cref="JsonException">The output is not JSON of the shape pgBackRest prints.</exception>
    public static RepositoryInfo Parse(string json, string stanza)
    {
        try
        {
            return ParseDocument(json, stanza);
        }
        catch (Exception exception) when (exception is InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new JsonException("pgbackrest info printed JSON of an unexpected shape: " + exception.Message, exception);
        }
    }

    private static RepositoryInfo ParseDocument(string json, string stanza)
    {
        using var document = JsonDocument.Parse(json);
        var entry = document.RootElement.EnumerateArray()
            .FirstOrDefault(e => e.TryGetProperty("name", out var name) && name.GetString() == stanza);
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return new RepositoryInfo(1, $"stanza {stanza} is not in the repository", null, null, 0, null, null);
        }

        var status = entry.GetProperty("status");
        var code = status.GetProperty("code").GetInt32();
        var message = status.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : string.Empty;

        ulong? systemId = null;
        string? version = null;
        if (entry.TryGetProperty("db", out var dbs) && dbs.ValueKind == JsonValueKind.Array && dbs.GetArrayLength() > 0)
        {
            var current = dbs.EnumerateArray().MaxBy(d => d.GetProperty("id").GetInt32());
            systemId = current.GetProperty("system-id").GetUInt64();
            version = current.GetProperty("version").GetString();
        }

        var backups = entry.TryGetProperty("backup", out var b) && b.ValueKind == JsonValueKind.Array ? b.EnumerateArray().ToList() : [];
        var newest = backups.Count > 0 ? backups[^1] : default;
        long? size = newest.ValueKind == JsonValueKind.Object && newest.TryGetProperty("info", out var info) && info.TryGetProperty("size", out var s) ? s.GetInt64() : null;
        var label = newest.ValueKind == JsonValueKind.Object ? newest.GetProperty("label").GetString() : null;
        return new RepositoryInfo(code, message, systemId, version, backups.Count, label, size)
        {
            Backups = [.. backups.Select(Backup)],
            ArchiveNewest = CurrentArchiveMax(entry),
        };
    }

    private static BackupEntry Backup(JsonElement backup)
    {
        string? Text(string parent, string name) =>
            backup.TryGetProperty(parent, out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        ulong? Position(string name) => Timelines.Lsn.TryParse(Text("lsn", name), out var lsn) ? lsn : null;
        long? size = backup.TryGetProperty("info", out var info) && info.TryGetProperty("size", out var s) ? s.GetInt64() : null;
        return new BackupEntry(backup.GetProperty("label").GetString() ?? string.Empty, Text("archive", "start"), Text("archive", "stop"), Position("start"), Position("stop"), size);
    }

    /// <summary>The archive entry of the newest database id (after a stanza-upgrade the older ones stay listed).</summary>
    private static string? CurrentArchiveMax(JsonElement entry)
    {
        if (!entry.TryGetProperty("archive", out var archives) || archives.ValueKind != JsonValueKind.Array || archives.GetArrayLength() == 0)
        {
            return null;
        }

        var current = archives.EnumerateArray().MaxBy(a => a.TryGetProperty("database", out var d) && d.TryGetProperty("id", out var id) ? id.GetInt32() : 0);
        return current.TryGetProperty("max", out var max) && max.ValueKind == JsonValueKind.String ? max.GetString() : null;
    }
}
