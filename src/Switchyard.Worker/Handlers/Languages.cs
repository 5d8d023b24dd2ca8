namespace Switchyard.Worker.Handlers;

/// <summary>The language of a source file, by its extension (or its whole name for files such as <c>Dockerfile</c>).</summary>
internal static class Languages
{
    public const string Other = "Other";

    private static readonly Dictionary<string, string> ByExtension = Table(
        ("C#", ".cs .csx"),
        ("F#", ".fs .fsx"),
        ("Visual Basic", ".vb"),
        ("JavaScript", ".js .mjs .cjs .jsx"),
        ("TypeScript", ".ts .tsx .mts .cts"),
        ("Python", ".py .pyi"),
        ("Ruby", ".rb"),
        ("Go", ".go"),
        ("Rust", ".rs"),
        ("Java", ".java"),
        ("Kotlin", ".kt .kts"),
        ("Scala", ".scala"),
        ("Swift", ".swift"),
        ("C", ".c .h"),
        ("C++", ".cc .cpp .cxx .hpp .hh"),
        ("Objective-C", ".m"),
        ("PHP", ".php"),
        ("Lua", ".lua"),
        ("R", ".r"),
        ("Dart", ".dart"),
        ("Elixir", ".ex .exs"),
        ("Erlang", ".erl"),
        ("Haskell", ".hs"),
        ("Clojure", ".clj"),
        ("Shell", ".sh .bash .zsh"),
        ("PowerShell", ".ps1"),
        ("SQL", ".sql"),
        ("HTML", ".html .htm"),
        ("CSS", ".css"),
        ("SCSS", ".scss"),
        ("Less", ".less"),
        ("Vue", ".vue"),
        ("Svelte", ".svelte"),
        ("JSON", ".json"),
        ("YAML", ".yaml .yml"),
        ("TOML", ".toml"),
        ("XML", ".xml"),
        ("MSBuild", ".csproj .fsproj .props .targets .slnx"),
        ("Markdown", ".md"),
        ("reStructuredText", ".rst"),
        ("Text", ".txt"),
        ("Protocol Buffers", ".proto"),
        ("Terraform", ".tf"),
        ("GraphQL", ".graphql"));

    private static readonly Dictionary<string, string> ByName = Table(
        ("Dockerfile", "Dockerfile"),
        ("Makefile", "Makefile"),
        ("CMake", "CMakeLists.txt"),
        ("Ruby", "Gemfile"));

    public static string Of(string fileName) =>
        ByName.TryGetValue(fileName, out var byName) ? byName
        : ByExtension.TryGetValue(Path.GetExtension(fileName), out var byExtension) ? byExtension
        : Other;

    private static Dictionary<string, string> Table(params (string Language, string Keys)[] rows) =>
        rows.SelectMany(r => r.Keys.Split(' ').Select(key => (key, r.Language)))
            .ToDictionary(p => p.key, p => p.Language, StringComparer.OrdinalIgnoreCase);
}
