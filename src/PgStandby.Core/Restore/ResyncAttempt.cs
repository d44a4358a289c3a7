using System.Text.Json;
using System.Text.Json.Serialization;
using PgStandby.Core.Processes;

namespace PgStandby.Core.Restore;

/// <summary>
/// The re-sync last started, remembered in PGSTANDBY_STATE_DIR: a restart neither restores a backup that already
/// led back to the same problem, nor resumes an interrupted re-sync from another backup than the one it chose.
/// </summary>
/// <param name="PrimaryTimeline">For a fork, the primary's timeline then: on a new timeline the same backup may help.</param>
public sealed record ResyncAttempt(
    [property: JsonPropertyName("backup")] string Backup,
    [property: JsonPropertyName("primary_timeline")] int? PrimaryTimeline,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("finished")] bool Finished)
{
    public const string FileName = "resync.json";

    public static ResyncAttempt? Load(string stateDirectory) =>
        SafeFile.ReadJson(Path.Combine(stateDirectory, FileName), RestoreFilesJson.Default.ResyncAttempt);

    /// <summary>True when restoring <paramref name="backup"/> for this primary timeline was done already, and led back here.</summary>
    public bool Repeats(string backup, int? primaryTimeline) => Finished && Backup == backup && PrimaryTimeline == primaryTimeline;

    public string ToJson() => JsonSerializer.Serialize(this, RestoreFilesJson.Default.ResyncAttempt);
}
