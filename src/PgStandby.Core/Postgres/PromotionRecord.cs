using System.Text.Json;
using System.Text.Json.Serialization;
using PgStandby.Core.Processes;

namespace PgStandby.Core.Postgres;

/// <summary>
/// That this worker saw this PGDATA promoted, kept in <c>PGSTANDBY_STATE_DIR</c>: on every later start the node
/// runs as a primary (never refused, never restored) as long as PGDATA's system identifier is this one.
/// </summary>
public sealed record PromotionRecord(
    [property: JsonPropertyName("system_id")] ulong SystemId,
    [property: JsonPropertyName("timeline")] int Timeline,
    [property: JsonPropertyName("previous_timeline")] int? PreviousTimeline,
    [property: JsonPropertyName("promoted_at")] DateTimeOffset PromotedAt,
    [property: JsonPropertyName("promoted_from")] string PromotedFrom,
    [property: JsonPropertyName("promoted_by")] string PromotedBy,
    [property: JsonPropertyName("replayed_lsn")] string? ReplayedLsn)
{
    public const string FileName = "promotion.json";

    /// <summary><see cref="PromotedBy"/> for a promotion asked with <c>pgstandby promote</c>.</summary>
    public const string ByCommand = "pgstandby promote";

    /// <summary><see cref="PromotedBy"/> for one the worker found done (SQL pg_promote(), pg_ctl promote).</summary>
    public const string ByHand = "by hand";

    public static string PathIn(string stateDirectory) => Path.Combine(stateDirectory, FileName);

    public static PromotionRecord? Load(string stateDirectory) => SafeFile.ReadJson(PathIn(stateDirectory), NodeFilesJson.Default.PromotionRecord);

    public static void Delete(string stateDirectory) => File.Delete(PathIn(stateDirectory));

    public string ToJson() => JsonSerializer.Serialize(this, NodeFilesJson.Default.PromotionRecord);

    /// <summary>One line for the status and the log: when, how, and from where.</summary>
    public string Describe() =>
        $"promoted {PromotedAt:u} ({PromotedBy}) from timeline {PreviousTimeline?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} of {PromotedFrom}, now on timeline {Timeline}";
}
