public enum NurtureConfigPlaceholder {}
