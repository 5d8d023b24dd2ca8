using Switchyard.Bench;

return await FoundationBench.RunAsync(args);
