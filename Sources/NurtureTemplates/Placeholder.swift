public enum NurtureTemplatesPlaceholder {}
