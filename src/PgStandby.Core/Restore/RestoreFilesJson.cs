using System.Text.Json.Serialization;

namespace PgStandby.Core.Restore;

/// <summary>Source-generated JSON (Native AOT) for what restores remember: the standby's identity and its re-syncs.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(StandbyIdentity))]
[JsonSerializable(typeof(ResyncAttempt))]
internal sealed partial class RestoreFilesJson : JsonSerializerContext;
