/** Types of the tables that scripts/generate-model.ts writes from the service model. */

export type AuthKind = "iam" | "none";

export interface OperationDescriptor {
  /** "none": a public operation, sent unsigned; "iam": signed with SigV4. */
  auth: AuthKind;
  input: string | null;
  output: string | null;
  errors: string[];
}

export type OperationTable<Name extends string> = Record<Name, OperationDescriptor>;

export interface ShapeDescriptor {
  type: "structure" | "string" | "integer" | "long" | "boolean" | "timestamp" | "blob" | "list" | "map";
  members?: Record<string, string>;
  required?: string[];
  member?: string;
  key?: string;
  value?: string;
  min?: number;
  max?: number;
  /** `java` is the model's own text, quoted in validation messages. */
  pattern?: { source: string; flags: string; java: string };
  enum?: string[];
  sensitive?: boolean;
  document?: boolean;
  exception?: boolean;
}

export type ShapeTable = Record<string, ShapeDescriptor>;
