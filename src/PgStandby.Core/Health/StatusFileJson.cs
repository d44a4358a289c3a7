using System.Text.Json.Serialization;

namespace PgStandby.Core.Health;

/// <summary>
/// Serialization code for status.json, generated at build time: no reflection at run time, so the worker can be
/// published with Native AOT. Each capability has its own context for the files it keeps (RestoreFilesJson, NodeFilesJson).
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(StatusSnapshot))]
internal sealed partial class StatusFileJson : JsonSerializerContext;
