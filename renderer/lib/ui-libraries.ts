// Imported for its effect alone: evaluating React and React DOM, the largest share of the bundle after the contract
// (main.tsx evaluates them in a task of their own, before the app's modules).
import 'react';
import 'react-dom/client';
