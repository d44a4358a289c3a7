using System.Text.Json.Serialization;

namespace PgStandby.Core.Postgres;

/// <summary>Source-generated JSON (Native AOT) for what the worker remembers about its node: its promotion.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(PromotionRecord))]
internal sealed partial class NodeFilesJson : JsonSerializerContext;
