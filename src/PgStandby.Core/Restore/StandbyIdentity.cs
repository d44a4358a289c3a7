using System.Text.Json;
using System.Text.Json.Serialization;
using PgStandby.Core.Processes;

namespace PgStandby.Core.Restore;

/// <summary>
/// The cluster PGDATA belongs to, remembered outside PGDATA once verified against the repository,
/// so a restart can prove the standby is ours without the primary or SSH.
/// </summary>
public sealed record StandbyIdentity(
    [property: JsonPropertyName("stanza")] string Stanza,
    [property: JsonPropertyName("system_id")] ulong SystemId,
    [property: JsonPropertyName("pg_version")] string PgVersion)
{
    public const string FileName = "identity.json";

    public static StandbyIdentity? Load(string stateDirectory) =>
        SafeFile.ReadJson(Path.Combine(stateDirectory, FileName), RestoreFilesJson.Default.StandbyIdentity);

    public string ToJson() => JsonSerializer.Serialize(this, RestoreFilesJson.Default.StandbyIdentity);
}
