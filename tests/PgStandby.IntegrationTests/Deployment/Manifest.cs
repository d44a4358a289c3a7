using YamlDotNet.RepresentationModel;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>One YAML document of deploy/kubernetes, navigated by key; a missing key fails the test with its path.</summary>
internal sealed class Manifest(string file, YamlMappingNode root)
{
    public string File { get; } = file;

    public YamlMappingNode Root { get; } = root;

    public string Kind => Scalar(Root, "kind");

    public string Name => Scalar(Map(Root, "metadata"), "name");

    public static IReadOnlyList<Manifest> LoadFolder(string folder)
    {
        var manifests = new List<Manifest>();
        foreach (var file in Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(file))
            {
                stream.Load(reader);
            }

            foreach (var document in stream.Documents)
            {
                Assert.IsType<YamlMappingNode>(document.RootNode, exactMatch: false);
                manifests.Add(new Manifest(Path.GetFileName(file), (YamlMappingNode)document.RootNode));
            }
        }

        return manifests;
    }

    public static YamlMappingNode Map(YamlNode node, string key) => Child<YamlMappingNode>(node, key);

    public static YamlSequenceNode Sequence(YamlNode node, string key) => Child<YamlSequenceNode>(node, key);

    public static string Scalar(YamlNode node, string key) => Child<YamlScalarNode>(node, key).Value ?? string.Empty;

    public static bool Has(YamlNode node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.ContainsKey(new YamlScalarNode(key));

    /// <summary>The scalars of a sequence, e.g. an exec probe's command.</summary>
    public static IReadOnlyList<string> Strings(YamlNode node, string key) =>
        Sequence(node, key).Children.Select(c => ((YamlScalarNode)c).Value ?? string.Empty).ToList();

    /// <summary>Every mapping in a sequence whose "name" is the given one, e.g. an env entry or a volume.</summary>
    public static YamlMappingNode Named(YamlNode node, string key, string name)
    {
        var found = Sequence(node, key).Children.OfType<YamlMappingNode>().Where(m => Scalar(m, "name") == name).ToList();
        Assert.True(found.Count == 1, $"expected one entry named '{name}' under '{key}', found {found.Count}");
        return found[0];
    }

    /// <summary>Every key anywhere below the node, to look for what must not appear at all (hostPort).</summary>
    public static IEnumerable<string> AllKeys(YamlNode node) => node switch
    {
        YamlMappingNode mapping => mapping.Children.SelectMany(pair =>
            new[] { ((YamlScalarNode)pair.Key).Value ?? string.Empty }.Concat(AllKeys(pair.Value))),
        YamlSequenceNode sequence => sequence.Children.SelectMany(AllKeys),
        _ => [],
    };

    private static T Child<T>(YamlNode node, string key)
        where T : YamlNode
    {
        Assert.True(node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out _), $"missing key '{key}' at {node.Start}");
        var child = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        return Assert.IsType<T>(child, exactMatch: false);
    }
}
