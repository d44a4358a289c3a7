using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace PgStandby.Core.Tests.Configuration;

/// <summary>A configuration that remembers every key read from it: the variables the worker actually reads.</summary>
internal sealed class RecordingConfiguration(IConfiguration inner) : IConfiguration
{
    public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

    public string? this[string key]
    {
        get
        {
            Keys.Add(key);
            return inner[key];
        }

        set => inner[key] = value;
    }

    public IEnumerable<IConfigurationSection> GetChildren() => inner.GetChildren();

    public IChangeToken GetReloadToken() => inner.GetReloadToken();

    public IConfigurationSection GetSection(string key)
    {
        Keys.Add(key);
        return inner.GetSection(key);
    }
}
