using System.Text.Json.Serialization;

namespace PgStandby.Core.Restore;

/// <summary>Source-generated JSON (Native AOT) for what re-syncs remember.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ResyncAttempt))]
internal sealed partial class ResyncJson : JsonSerializerContext;
