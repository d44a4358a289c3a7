using System.Text.Json.Serialization;
using PgStandby.Core.Restore;

namespace PgStandby.Core.Health;

/// <summary>
/// Serialization code for the files the worker writes (status.json, identity.json), generated at build time:
/// no reflection at run time, so the worker can be published with Native AOT.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(StatusSnapshot))]
[JsonSerializable(typeof(StandbyIdentity))]
[JsonSerializable(typeof(Promotion.PromotionRecord))]
internal sealed partial class WorkerFilesJson : JsonSerializerContext;
