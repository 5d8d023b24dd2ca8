namespace Switchyard.Worker.Handlers;

/// <summary>
/// Where <c>llm.chat</c> sends requests: an OpenAI-compatible provider (<c>BaseUrl</c> such as
/// <c>https://api.openai.com/v1</c>; requests go to <c>{BaseUrl}/chat/completions</c>). Bind it from the
/// configuration section <c>Llm</c> (<c>Llm:BaseUrl</c>, <c>Llm:ApiKey</c>, <c>Llm:Models:alias</c>) or read it from
/// the environment with <see cref="FromEnvironment"/>.
/// </summary>
public sealed record LlmOptions
{
    public const string Section = "Llm";
    public const string BaseUrlVariable = "SWITCHYARD_LLM_BASE_URL";
    public const string ApiKeyVariable = "SWITCHYARD_LLM_API_KEY";
    public const string ModelsVariable = "SWITCHYARD_LLM_MODELS";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    public string? BaseUrl { get; init; }

    /// <summary>Sent as <c>Authorization: Bearer</c>; never logged.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Model names as tasks give them → the provider's names; a model not listed is sent as it is.</summary>
    public Dictionary<string, string> Models { get; init; } = new(StringComparer.Ordinal);

    /// <summary>How long one provider call may take, streaming included.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>
    /// Reads <c>SWITCHYARD_LLM_BASE_URL</c>, <c>SWITCHYARD_LLM_API_KEY</c> and <c>SWITCHYARD_LLM_MODELS</c>
    /// (<c>alias=model,alias2=model2</c>) over <paramref name="defaults"/>.
    /// </summary>
    public static LlmOptions FromEnvironment(Func<string, string?>? getVariable = null, LlmOptions? defaults = null)
    {
        var get = getVariable ?? Environment.GetEnvironmentVariable;
        var options = defaults ?? new LlmOptions();
        var models = new Dictionary<string, string>(options.Models, StringComparer.Ordinal);
        foreach (var pair in (get(ModelsVariable) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var cut = pair.IndexOf('=', StringComparison.Ordinal);
            if (cut > 0)
            {
                models[pair[..cut].Trim()] = pair[(cut + 1)..].Trim();
            }
        }

        return options with
        {
            BaseUrl = NonEmpty(get(BaseUrlVariable)) ?? options.BaseUrl,
            ApiKey = NonEmpty(get(ApiKeyVariable)) ?? options.ApiKey,
            Models = models,
        };
    }

    /// <summary>The provider's name for <paramref name="model"/>.</summary>
    public string MapModel(string model) => Models.GetValueOrDefault(model) ?? model;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
