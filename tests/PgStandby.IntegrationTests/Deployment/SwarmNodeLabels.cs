using static PgStandby.IntegrationTests.Deployment.ContainerCli;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>
/// Labels put on this engine's (only) node, as an operator pins standbys to nodes: only the ones it lacked are
/// added, and those are removed on dispose.
/// </summary>
internal sealed class SwarmNodeLabels : IAsyncDisposable
{
    private static readonly TimeSpan Command = TimeSpan.FromMinutes(1);

    private readonly string _node;
    private readonly IReadOnlyList<string> _added;

    private SwarmNodeLabels(string node, IReadOnlyList<string> added)
    {
        _node = node;
        _added = added;
    }

    /// <param name="labels">Each label set to <c>true</c>.</param>
    public static async Task<SwarmNodeLabels> AddAsync(IReadOnlyList<string> labels)
    {
        var node = (await Docker.CheckedAsync(["info", "--format", "{{.Swarm.NodeID}}"], Command)).Trim();
        var present = await Docker.CheckedAsync(["node", "inspect", "--format", "{{range $k, $v := .Spec.Labels}}{{$k}}={{$v}}\n{{end}}", node], Command);
        var added = labels.Where(l => !present.Split('\n').Contains(l + "=true")).ToList();
        if (added.Count > 0)
        {
            await Docker.CheckedAsync(["node", "update", .. added.SelectMany(l => new[] { "--label-add", l + "=true" }), node], Command);
        }

        return new SwarmNodeLabels(node, added);
    }

    public async ValueTask DisposeAsync()
    {
        if (_added.Count > 0)
        {
            await Docker.CheckedAsync(["node", "update", .. _added.SelectMany(l => new[] { "--label-rm", l }), _node], Command);
        }
    }
}
