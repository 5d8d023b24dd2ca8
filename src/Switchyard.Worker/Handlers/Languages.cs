namespace Switchyard.Worker.Handlers;

/// <summary>The language of a source file, by its extension (or its whole name for files such as <c>Dockerfile</c>).</summary>
internal static class Languages
{
    public const string Other = "Other";

    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".cs"] = "C#", [".csx"] = "C#", [".fs"] = "F#", [".fsx"] = "F#", [".vb"] = "Visual Basic",
        [".js"] = "JavaScript", [".mjs"] = "JavaScript", [".cjs"] = "JavaScript", [".jsx"] = "JavaScript",
        [".ts"] = "TypeScript", [".tsx"] = "TypeScript", [".mts"] = "TypeScript", [".cts"] = "TypeScript",
        [".py"] = "Python", [".pyi"] = "Python", [".rb"] = "Ruby", [".go"] = "Go", [".rs"] = "Rust",
        [".java"] = "Java", [".kt"] = "Kotlin", [".kts"] = "Kotlin", [".scala"] = "Scala", [".swift"] = "Swift",
        [".c"] = "C", [".h"] = "C", [".cc"] = "C++", [".cpp"] = "C++", [".cxx"] = "C++", [".hpp"] = "C++", [".hh"] = "C++",
        [".m"] = "Objective-C", [".php"] = "PHP", [".lua"] = "Lua", [".r"] = "R", [".dart"] = "Dart",
        [".ex"] = "Elixir", [".exs"] = "Elixir", [".erl"] = "Erlang", [".hs"] = "Haskell", [".clj"] = "Clojure",
        [".sh"] = "Shell", [".bash"] = "Shell", [".zsh"] = "Shell", [".ps1"] = "PowerShell", [".sql"] = "SQL",
        [".html"] = "HTML", [".htm"] = "HTML", [".css"] = "CSS", [".scss"] = "SCSS", [".less"] = "Less",
        [".vue"] = "Vue", [".svelte"] = "Svelte", [".json"] = "JSON", [".yaml"] = "YAML", [".yml"] = "YAML",
        [".toml"] = "TOML", [".xml"] = "XML", [".csproj"] = "MSBuild", [".fsproj"] = "MSBuild", [".props"] = "MSBuild",
        [".targets"] = "MSBuild", [".slnx"] = "MSBuild", [".md"] = "Markdown", [".rst"] = "reStructuredText", [".txt"] = "Text",
        [".proto"] = "Protocol Buffers", [".tf"] = "Terraform", [".graphql"] = "GraphQL",
    };

    private static readonly Dictionary<string, string> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Dockerfile"] = "Dockerfile", ["Makefile"] = "Makefile", ["CMakeLists.txt"] = "CMake", ["Gemfile"] = "Ruby",
    };

    public static string Of(string fileName) =>
        ByName.TryGetValue(fileName, out var byName) ? byName
        : ByExtension.TryGetValue(Path.GetExtension(fileName), out var byExtension) ? byExtension
        : Other;
}
