public enum NurtureSMTPPlaceholder {}
